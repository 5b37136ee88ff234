using MustStaple.Diagnostics;
using MustStaple.Discovery;
using MustStaple.Kestrel;
using MustStaple.Localization;

namespace MustStaple.Hosting;

/// <summary>
/// Reads compose files and Kubernetes manifests as YAML (a comment after a value is never part of it): environment,
/// bind volumes, secrets and configs with <c>file:</c>, <c>build</c>, <c>image</c>, <c>platform</c>; Kubernetes
/// containers' <c>image</c>, <c>env</c> and <c>volumeMounts</c>.
/// </summary>
public static class ComposeReader
{
    private static readonly string[] WorkloadKinds = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Pod", "Job", "CronJob"];

    /// <summary>Reads a compose file.</summary>
    public static ContainerFacts ReadCompose(string path, string text, WorkBudget? budget = null, Func<string, SourceLocation, string?>? readEnvFile = null)
    {
        budget ??= new WorkBudget();
        var (documents, error) = YamlTree.Read(path, text, budget);
        var env = new List<ConfigEntry>();
        var mounts = new List<ContainerMount>();
        var builds = new List<(string, string)>();
        var signals = new List<PlatformSignal>();
        var composeServices = new List<ComposeService>();
        var dir = Path.GetDirectoryName(path)!;
        var seen = new HashSet<YamlNode>();
        foreach (var doc in documents)
        {
            if (doc["services"]?.Pairs is not { } services) continue;
            foreach (var (nameNode, service) in services)
            {
                if (service.Pairs is null || !seen.Add(service)) continue; // an alias names the same node: read it once
                budget.Charge(path, WorkKind.Nodes, service.Pairs.Count);
                var own = new List<ConfigEntry>();
                var ownMounts = new List<ContainerMount>();
                var ownSignals = new List<PlatformSignal>();
                // docs/evidence/kestrel.md#round3-envfile: env_file variables reach the container like environment entries, which win over them.
                foreach (var file in EnvFiles(service["env_file"]))
                    if (ContainerFileSystem.HostPath(dir, file.Value!) is { } envPath && readEnvFile?.Invoke(envPath, file.Location) is { } envText)
                        own.AddRange(EnvFileReader.Read(envPath, envText));
                ReadEnvironment(path, service["environment"], own, budget);
                env.AddRange(own);
                var isApp = service["build"] is not null || own.Any(e => IsAspNetKey(e.Key));
                (string, string)? ownBuild = null;
                if (service["build"] is { } build && ReadBuild(dir, build) is { } b) { builds.Add(b); ownBuild = b; }
                foreach (var v in service["volumes"]?.Items ?? [])
                {
                    budget.Charge(path, WorkKind.Mounts);
                    if (Volume(dir, v) is { } m) ownMounts.Add(m);
                }
                foreach (var (kind, defaultDir) in new[] { ("secrets", "/run/secrets/"), ("configs", "/") })
                    foreach (var item in service[kind]?.Items ?? [])
                    {
                        budget.Charge(path, WorkKind.Mounts);
                        if (SecretMount(doc, dir, kind, defaultDir, item) is { } m) ownMounts.Add(m);
                    }
                mounts.AddRange(ownMounts);
                var image = service["image"] is { Value: { Length: > 0 } i } imageNode ? (i, imageNode.Location) : ((string, SourceLocation)?)null;
                if (image is { } im && TargetPlatformText.FromImage(im.Item1) is { } p)
                {
                    var signal = new PlatformSignal(p, Texts.Hosting.Text("Platform.ComposeImage", im.Item1, nameNode.Value), im.Item2);
                    ownSignals.Add(signal);
                    if (isApp || im.Item1.IndexOf("dotnet/", StringComparison.OrdinalIgnoreCase) is >= 0) signals.Add(signal);
                }
                if (service["platform"] is { Value: { Length: > 0 } platform } platformNode
                    && TargetPlatformText.ParseOs(platform.Split('/')[0]) is { } pp)
                {
                    var signal = new PlatformSignal(pp, Texts.Hosting.Text("Platform.ComposePlatform", platform, nameNode.Value), platformNode.Location);
                    ownSignals.Add(signal);
                    if (isApp) signals.Add(signal);
                }
                composeServices.Add(new ComposeService
                {
                    Name = nameNode.Value ?? "", Location = nameNode.Location, Image = image, Build = ownBuild, Environment = own,
                    Mounts = ownMounts, Ports = Ports(service["ports"]), PlatformSignals = ownSignals,
                });
            }
        }
        return new ContainerFacts
        {
            Path = path, Environment = env, Mounts = mounts, Builds = builds, PlatformSignals = signals, Error = error,
            MentionsCaCertificates = text.Contains("ca-certificates"), Services = composeServices,
        };
    }

    // env_file: a string, a list of strings, or a list of { path, required }.
    private static IEnumerable<YamlNode> EnvFiles(YamlNode? node)
    {
        if (node is null) yield break;
        if (node.Value is { Length: > 0 }) { yield return node; yield break; }
        foreach (var item in node.Items ?? [])
        {
            if (item.Value is { Length: > 0 }) yield return item;
            else if (item["path"] is { Value: { Length: > 0 } } p) yield return p;
        }
    }

    // ports: "443:8443", "127.0.0.1:443:8443/tcp", "8443" (a random host port), or { target, published }.
    private static List<PublishedPort> Ports(YamlNode? node)
    {
        var ports = new List<PublishedPort>();
        foreach (var item in node?.Items ?? [])
        {
            if (item.Value is { Length: > 0 } text)
            {
                var spec = text.Split('/')[0];
                var parts = spec.Split(':');
                var container = Port(parts[parts.Length - 1]);
                var host = parts.Length >= 2 ? Port(parts[parts.Length - 2]) : null;
                if (container is { } c) ports.Add(new PublishedPort(c, host, item.Location));
            }
            else if (Port(item.Text("target")) is { } target)
            {
                ports.Add(new PublishedPort(target, Port(item.Text("published")), item.Location));
            }
        }
        return ports;
    }

    // A port or the first of a range ("8000-8010").
    internal static int? Port(string? text) =>
        text is not null && int.TryParse(text.Split('-')[0].Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            && n is > 0 and < 65536 ? n : null;

    /// <summary>Reads the workloads of a Kubernetes manifest (several documents allowed); null when it has none.</summary>
    public static ContainerFacts? ReadManifest(string path, string text, WorkBudget? budget = null)
    {
        budget ??= new WorkBudget();
        var (documents, error) = YamlTree.Read(path, text, budget);
        return ReadManifest(path, documents, error, budget);
    }

    /// <summary>Reads the workloads of already parsed manifest documents.</summary>
    public static ContainerFacts? ReadManifest(string path, IReadOnlyList<YamlNode> documents, LoadError? error, WorkBudget? budget = null)
    {
        budget ??= new WorkBudget();
        var env = new List<ConfigEntry>();
        var mounts = new List<ContainerMount>();
        var signals = new List<PlatformSignal>();
        var found = false;
        foreach (var doc in documents)
        {
            if (doc.Text("kind") is not { } kind || !WorkloadKinds.Contains(kind, StringComparer.Ordinal)) continue;
            var pod = kind switch
            {
                "Pod" => doc["spec"],
                "CronJob" => doc["spec"]?["jobTemplate"]?["spec"]?["template"]?["spec"],
                _ => doc["spec"]?["template"]?["spec"],
            };
            if (pod is null) continue;
            found = true;
            budget.Charge(path, WorkKind.Nodes, pod["volumes"]?.Items?.Count ?? 0);
            var volumes = (pod["volumes"]?.Items ?? []).Where(v => v.Text("name") is not null)
                .GroupBy(v => v.Text("name")!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
            if (pod["nodeSelector"]?["kubernetes.io/os"] is { Value: { } os } osNode && TargetPlatformText.ParseOs(os) is { } osPlatform)
                signals.Add(new PlatformSignal(osPlatform, Texts.Hosting.Text("Platform.NodeSelector", os, kind, doc["metadata"]?.Text("name")), osNode.Location));
            foreach (var container in pod["containers"]?.Items ?? [])
            {
                // An alias is read again by each consumer that names it: every use is charged.
                budget.Charge(path, WorkKind.Nodes, 1 + (container.Pairs?.Count ?? 0));
                foreach (var e in container["env"]?.Items ?? [])
                {
                    budget.Charge(path, WorkKind.Nodes);
                    if (e["name"] is not { Value: { Length: > 0 } name } nameNode || e["value"] is not { Value: { } value } valueNode) continue;
                    env.Add(new ConfigEntry(name, value, Start(nameNode, name.Length), Start(valueNode, value.Length), path));
                }
                if (container["image"] is { Value: { Length: > 0 } image } imageNode && TargetPlatformText.FromImage(image) is { } p)
                    signals.Add(new PlatformSignal(p, Texts.Hosting.Text("Platform.PodImage", image, kind, doc["metadata"]?.Text("name")), imageNode.Location));
                foreach (var vm in container["volumeMounts"]?.Items ?? [])
                {
                    budget.Charge(path, WorkKind.Mounts);
                    if (vm.Text("mountPath") is not { Length: > 0 } mountPath || vm.Text("name") is not { } volumeName) continue;
                    var target = mountPath;
                    var provider = volumes.TryGetValue(volumeName, out var volume) ? DescribeVolume(volume, volumeName) : $"volume '{volumeName}'";
                    mounts.Add(new ContainerMount(ContainerPaths.Combine("/", target), null, true, provider, vm.Location));
                }
            }
        }
        return found ? new ContainerFacts { Path = path, Environment = env, Mounts = mounts, PlatformSignals = signals, Error = error } : null;
    }

    private static string DescribeVolume(YamlNode volume, string name) =>
        volume["secret"]?.Text("secretName") is { } secret ? $"Kubernetes Secret '{secret}' (volume '{name}')"
        : volume["configMap"]?.Text("name") is { } map ? $"Kubernetes ConfigMap '{map}' (volume '{name}')"
        : volume["csi"] is not null ? $"CSI volume '{name}' (a secrets store)"
        : volume["hostPath"]?.Text("path") is { } host ? $"the node's folder '{host}' (volume '{name}')"
        : $"volume '{name}'";

    private static bool IsAspNetKey(string key) =>
        key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) || key.StartsWith("DOTNET_", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("Kestrel__", StringComparison.OrdinalIgnoreCase);

    private static void ReadEnvironment(string path, YamlNode? node, List<ConfigEntry> env, WorkBudget budget)
    {
        if (node?.Items is { } items)
        {
            foreach (var item in items)
            {
                budget.Charge(path, WorkKind.Nodes);
                if (item.Value is not { } text || text.IndexOf('=') is var eq && eq <= 0) continue;
                var key = text.Substring(0, eq);
                var value = text.Substring(eq + 1);
                var start = Start(item, 0);
                env.Add(ContainerFileReader.Entry(path, start.Line, start.Column, key, value, start.Column + eq + 1));
            }
        }
        else if (node?.Pairs is { } pairs)
        {
            foreach (var (k, v) in pairs)
            {
                budget.Charge(path, WorkKind.Nodes);
                if (k.Value is not { Length: > 0 } key || v.Value is null || v.IsNull) continue; // KEY: (no value) passes the host's variable
                env.Add(new ConfigEntry(key, v.Value, Start(k, key.Length), Start(v, v.Value.Length), path));
            }
        }
    }

    // Where a scalar's text starts: one column after an opening quote.
    private static SourceLocation Start(YamlNode node, int length)
    {
        var col = node.Location.Column + (node.Quoted ? 1 : 0);
        return SourceLocation.OnLine(node.Location.Path, node.Location.Line, col, Math.Max(1, length));
    }

    private static (string, string)? ReadBuild(string dir, YamlNode build)
    {
        var context = build.Value ?? build.Text("context") ?? ".";
        if (context.Contains("://") || context.StartsWith("git@", StringComparison.Ordinal)) return null; // a remote context
        if (ContainerFileSystem.HostPath(dir, context) is not { } contextDir
            || ContainerFileSystem.HostPath(contextDir, build.Text("dockerfile") ?? "Dockerfile") is not { } dockerfile) return null;
        return (dockerfile, contextDir);
    }

    // "./certs:/https:ro", "certs:/https" (named), or { type: bind, source: ./certs, target: /https }.
    private static ContainerMount? Volume(string dir, YamlNode v)
    {
        string? source, target;
        if (v.Value is { } shortForm)
        {
            var parts = SplitVolume(shortForm);
            if (parts.Count < 2) return null; // an anonymous volume
            (source, target) = (parts[0], parts[1]);
        }
        else
        {
            source = v.Text("source");
            target = v.Text("target");
            if (v.Text("type") is { } type && type != "bind") source = source is null ? null : "volume:" + source;
        }
        if (target is null || source is null) return null;
        var isBind = (source.Length > 0 && source[0] == '.') || (source.Length > 0 && source[0] == '/')
            || (source.Length > 0 && source[0] == '~') || (source.Length > 1 && source[1] == ':');
        var provider = isBind ? $"volume '{source}:{target}'" : $"named volume '{source.Replace("volume:", "")}'";
        var host = isBind && !(source.Length > 0 && source[0] == '~') ? ContainerFileSystem.HostPath(dir, source) : null;
        return new ContainerMount(ContainerPaths.Combine("/", target), host, true, provider, v.Location) { };
    }

    // Windows drive letters ("C:\certs:/https") keep their colon.
    private static List<string> SplitVolume(string text)
    {
        var parts = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != ':' || (i == 1 && char.IsLetter(text[0]))) continue;
            parts.Add(text.Substring(start, i - start));
            start = i + 1;
        }
        parts.Add(text.Substring(start));
        return parts;
    }

    // services.x.secrets: [name] or [{ source, target }] → top-level secrets.name.file (or external).
    private static ContainerMount? SecretMount(YamlNode doc, string dir, string kind, string defaultDir, YamlNode item)
    {
        var source = item.Value ?? item.Text("source");
        if (source is null) return null;
        var target = item.Text("target") ?? source;
        var containerPath = ContainerPaths.Combine(defaultDir, target);
        var declared = doc[kind]?[source];
        var singular = kind.TrimEnd('s');
        if (declared?.Text("file") is { Length: > 0 } file)
            return new ContainerMount(containerPath, ContainerFileSystem.HostPath(dir, file), false, $"{singular} '{source}' (file: {file})", item.Location);
        return new ContainerMount(containerPath, null, false, $"{singular} '{source}'{(declared?["external"] is not null ? " (external)" : "")}", item.Location);
    }
}

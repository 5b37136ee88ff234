using MustStaple.Diagnostics;
using MustStaple.Discovery;

namespace MustStaple.Kestrel;

/// <summary>
/// Reads compose files and Kubernetes manifests as YAML (a comment after a value is never part of it): environment,
/// bind volumes, secrets and configs with <c>file:</c>, <c>build</c>, <c>image</c>, <c>platform</c>; Kubernetes
/// containers' <c>image</c>, <c>env</c> and <c>volumeMounts</c>.
/// </summary>
public static class ComposeReader
{
    private static readonly string[] WorkloadKinds = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Pod", "Job", "CronJob"];

    /// <summary>Reads a compose file.</summary>
    public static ContainerFacts ReadCompose(string path, string text, WorkBudget? budget = null)
    {
        budget ??= new WorkBudget();
        var (documents, error) = YamlTree.Read(path, text, budget);
        var env = new List<ConfigEntry>();
        var mounts = new List<ContainerMount>();
        var builds = new List<(string, string)>();
        var signals = new List<PlatformSignal>();
        var dir = Path.GetDirectoryName(path)!;
        var seen = new HashSet<YamlNode>();
        foreach (var doc in documents)
        {
            if (doc["services"]?.Pairs is not { } services) continue;
            foreach (var (nameNode, service) in services)
            {
                if (service.Pairs is null || !seen.Add(service)) continue; // an alias names the same node: read it once
                budget.Charge(path, WorkKind.Nodes, service.Pairs.Count);
                var before = env.Count;
                ReadEnvironment(path, service["environment"], env, budget);
                var isApp = service["build"] is not null || env.Skip(before).Any(e => IsAspNetKey(e.Key));
                if (service["build"] is { } build) ReadBuild(dir, build, builds);
                foreach (var v in service["volumes"]?.Items ?? [])
                {
                    budget.Charge(path, WorkKind.Mounts);
                    if (Volume(dir, v) is { } m) mounts.Add(m);
                }
                foreach (var (kind, defaultDir) in new[] { ("secrets", "/run/secrets/"), ("configs", "/") })
                    foreach (var item in service[kind]?.Items ?? [])
                    {
                        budget.Charge(path, WorkKind.Mounts);
                        if (SecretMount(doc, dir, kind, defaultDir, item) is { } m) mounts.Add(m);
                    }
                if (service["image"] is { Value: { Length: > 0 } image } imageNode
                    && (isApp || image.IndexOf("dotnet/", StringComparison.OrdinalIgnoreCase) is >= 0)
                    && TargetPlatformText.FromImage(image) is { } p)
                    signals.Add(new PlatformSignal(p, $"the compose image '{image}' of service '{nameNode.Value}'", imageNode.Location));
                if (isApp && service["platform"] is { Value: { Length: > 0 } platform } platformNode
                    && TargetPlatformText.ParseOs(platform.Split('/')[0]) is { } pp)
                    signals.Add(new PlatformSignal(pp, $"the compose platform '{platform}' of service '{nameNode.Value}'", platformNode.Location));
            }
        }
        return new ContainerFacts
        {
            Path = path, Environment = env, Mounts = mounts, Builds = builds, PlatformSignals = signals, Error = error,
            MentionsCaCertificates = text.Contains("ca-certificates"),
        };
    }

    /// <summary>Reads the workloads of a Kubernetes manifest (several documents allowed); null when it has none.</summary>
    public static ContainerFacts? ReadManifest(string path, string text, WorkBudget? budget = null)
    {
        budget ??= new WorkBudget();
        var (documents, error) = YamlTree.Read(path, text, budget);
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
                signals.Add(new PlatformSignal(osPlatform, $"the nodeSelector kubernetes.io/os '{os}' of {kind} '{doc["metadata"]?.Text("name")}'", osNode.Location));
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
                    signals.Add(new PlatformSignal(p, $"the image '{image}' of {kind} '{doc["metadata"]?.Text("name")}'", imageNode.Location));
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

    private static void ReadBuild(string dir, YamlNode build, List<(string, string)> builds)
    {
        var context = build.Value ?? build.Text("context") ?? ".";
        if (context.Contains("://") || context.StartsWith("git@", StringComparison.Ordinal)) return; // a remote context
        if (ContainerFileSystem.HostPath(dir, context) is not { } contextDir
            || ContainerFileSystem.HostPath(contextDir, build.Text("dockerfile") ?? "Dockerfile") is not { } dockerfile) return;
        builds.Add((dockerfile, contextDir));
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

using MustStaple.Diagnostics;
using MustStaple.Kestrel;

namespace MustStaple.Hosting;

/// <summary>A Kubernetes workload: its pod's containers, labels and volumes.</summary>
public sealed record KubeWorkload(string Kind, string Name, SourceLocation Location, IReadOnlyDictionary<string, string> Labels,
    string? Image, IReadOnlyList<ConfigEntry> Environment, IReadOnlyList<ContainerMount> Mounts)
{
    /// <summary>The workload as a hosted service: published when a NodePort or LoadBalancer Service selects it, hidden when only ClusterIP ones do.</summary>
    public HostedService ToService(KubernetesObjects objects)
    {
        var services = objects.Services.Where(s => s.Selector.Count > 0 && s.Selector.All(kv => Labels.TryGetValue(kv.Key, out var v) && v == kv.Value)).ToList();
        return new HostedService
        {
            Label = Localization.Texts.Hosting.Text("Service.Kubernetes", Kind, Name), Kind = HostKind.Kubernetes, Location = Location, Image = Image,
            Platform = Image is null ? TargetPlatform.Unknown : TargetPlatformText.FromImage(Image) ?? TargetPlatform.Unknown,
            Files = ContainerFileSystem.Build([], Mounts, _ => true), Environment = Environment,
            Published = services.Count == 0 ? null : services.Where(s => s.Type is "NodePort" or "LoadBalancer").SelectMany(s => s.Ports).ToList(),
            HostNames = services.Select(s => s.Name).ToList(),
        };
    }
}

/// <summary>A Kubernetes Service: type (ClusterIP by default), selector, ports.</summary>
public sealed record KubeService(string Name, SourceLocation Location, string Type, IReadOnlyDictionary<string, string> Selector, IReadOnlyList<PublishedPort> Ports);

/// <summary>One <c>tls:</c> entry of an Ingress.</summary>
public sealed record IngressTls(string SecretName, SourceLocation Location);

/// <summary>A Kubernetes Ingress: its controller class, TLS secrets and the Services it routes to.</summary>
public sealed record KubeIngress(string Name, SourceLocation Location, string? IngressClass, IReadOnlyList<IngressTls> Tls, IReadOnlyList<string> Backends);

/// <summary>A Secret of type <c>kubernetes.io/tls</c>: its <c>tls.crt</c> (PEM bytes) and where it is written.</summary>
public sealed record KubeTlsSecret(string Name, SourceLocation Location, byte[]? Certificate, string? Problem);

/// <summary>A ConfigMap key (ingress-nginx's controller ConfigMap <c>enable-ocsp</c>).</summary>
public sealed record KubeConfigSetting(string ConfigMap, string Key, string Value, SourceLocation Location);

/// <summary>The Kubernetes objects of the repository's manifests.</summary>
public sealed class KubernetesObjects
{
    /// <summary>None.</summary>
    public static readonly KubernetesObjects Empty = new();

    /// <summary>Workloads.</summary>
    public IReadOnlyList<KubeWorkload> Workloads { get; init; } = [];

    /// <summary>Services.</summary>
    public IReadOnlyList<KubeService> Services { get; init; } = [];

    /// <summary>Ingresses.</summary>
    public IReadOnlyList<KubeIngress> Ingresses { get; init; } = [];

    /// <summary>TLS Secrets.</summary>
    public IReadOnlyList<KubeTlsSecret> TlsSecrets { get; init; } = [];

    /// <summary>ConfigMap settings that decide a controller's stapling.</summary>
    public IReadOnlyList<KubeConfigSetting> Settings { get; init; } = [];

    /// <summary>All objects of several manifests, in order.</summary>
    public static KubernetesObjects Merge(IEnumerable<KubernetesObjects> all)
    {
        var list = all.ToList();
        return new KubernetesObjects
        {
            Workloads = list.SelectMany(o => o.Workloads).ToList(), Services = list.SelectMany(o => o.Services).ToList(),
            Ingresses = list.SelectMany(o => o.Ingresses).ToList(), TlsSecrets = list.SelectMany(o => o.TlsSecrets).ToList(),
            Settings = list.SelectMany(o => o.Settings).ToList(),
        };
    }
}

/// <summary>Reads Services, Ingresses, TLS Secrets, ConfigMaps and workloads from parsed manifest documents.</summary>
public static class KubernetesReader
{
    private static readonly string[] WorkloadKinds = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Pod", "Job", "CronJob"];

    /// <summary>The objects of one manifest's documents.</summary>
    public static KubernetesObjects Read(string path, IReadOnlyList<YamlNode> documents, Discovery.WorkBudget? budget = null)
    {
        budget ??= new Discovery.WorkBudget();
        var workloads = new List<KubeWorkload>();
        var services = new List<KubeService>();
        var ingresses = new List<KubeIngress>();
        var secrets = new List<KubeTlsSecret>();
        var settings = new List<KubeConfigSetting>();
        foreach (var doc in documents)
        {
            budget.Charge(path, Discovery.WorkKind.Nodes, 1 + (doc.Pairs?.Count ?? 0));
            var kind = doc.Text("kind");
            var nameNode = doc["metadata"]?["name"];
            if (kind is null || nameNode?.Value is not { Length: > 0 } name) continue;
            var at = nameNode.Location;
            switch (kind)
            {
                case "Service":
                    services.Add(new KubeService(name, at, doc["spec"]?.Text("type") ?? "ClusterIP", Map(doc["spec"]?["selector"]),
                        (doc["spec"]?["ports"]?.Items ?? []).Select(p => (ComposeReader.Port(p.Text("targetPort")) ?? ComposeReader.Port(p.Text("port"))) is { } n
                            ? new PublishedPort(n, ComposeReader.Port(p.Text("port")), p.Location) : null).OfType<PublishedPort>().ToList()));
                    break;
                case "Ingress":
                    var spec = doc["spec"];
                    var cls = spec?.Text("ingressClassName") ?? doc["metadata"]?["annotations"]?.Text("kubernetes.io/ingress.class");
                    var tls = (spec?["tls"]?.Items ?? []).Select(t => t["secretName"] is { Value: { Length: > 0 } s } n ? new IngressTls(s, n.Location) : null)
                        .OfType<IngressTls>().ToList();
                    var backends = (spec?["rules"]?.Items ?? []).SelectMany(r => r["http"]?["paths"]?.Items ?? [])
                        .Select(p => p["backend"]?["service"]?.Text("name") ?? p["backend"]?.Text("serviceName"))
                        .Append(spec?["defaultBackend"]?["service"]?.Text("name")).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
                    ingresses.Add(new KubeIngress(name, at, cls, tls, backends));
                    break;
                case "Secret" when doc.Text("type") == "kubernetes.io/tls":
                    secrets.Add(TlsSecret(name, at, doc));
                    break;
                case "ConfigMap":
                    foreach (var (k, v) in doc["data"]?.Pairs ?? [])
                        if (k.Value is "enable-ocsp" && v.Value is { } value) settings.Add(new KubeConfigSetting(name, k.Value, value, v.Location));
                    break;
                default:
                    if (WorkloadKinds.Contains(kind, StringComparer.Ordinal) && Workload(path, kind, name, at, doc, budget) is { } w) workloads.Add(w);
                    break;
            }
        }
        return new KubernetesObjects { Workloads = workloads, Services = services, Ingresses = ingresses, TlsSecrets = secrets, Settings = settings };
    }

    // tls.crt: base64 in data, PEM text in stringData (stringData wins, as the API server merges it over data).
    private static KubeTlsSecret TlsSecret(string name, SourceLocation at, YamlNode doc)
    {
        if (doc["stringData"]?["tls.crt"] is { Value: { Length: > 0 } pem } s)
            return new KubeTlsSecret(name, s.Location, System.Text.Encoding.ASCII.GetBytes(pem), null);
        if (doc["data"]?["tls.crt"] is { Value: { Length: > 0 } b64 } d)
        {
            try { return new KubeTlsSecret(name, d.Location, Convert.FromBase64String(string.Concat(b64.Where(c => !char.IsWhiteSpace(c)))), null); }
            catch (FormatException) { return new KubeTlsSecret(name, d.Location, null, $"tls.crt of Secret '{name}' is not base64"); }
        }
        return new KubeTlsSecret(name, at, null, null); // the certificate is filled in at deploy time (cert-manager…)
    }

    private static KubeWorkload? Workload(string path, string kind, string name, SourceLocation at, YamlNode doc, Discovery.WorkBudget budget)
    {
        var template = kind switch
        {
            "Pod" => doc,
            "CronJob" => doc["spec"]?["jobTemplate"]?["spec"]?["template"],
            _ => doc["spec"]?["template"],
        };
        var pod = template?["spec"];
        if (pod is null) return null;
        var volumes = (pod["volumes"]?.Items ?? []).Where(v => v.Text("name") is not null)
            .GroupBy(v => v.Text("name")!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        var env = new List<ConfigEntry>();
        var mounts = new List<ContainerMount>();
        string? image = null;
        foreach (var container in pod["containers"]?.Items ?? [])
        {
            budget.Charge(path, Discovery.WorkKind.Nodes, 1 + (container.Pairs?.Count ?? 0));
            image ??= container.Text("image");
            foreach (var e in container["env"]?.Items ?? [])
                if (e["name"] is { Value: { Length: > 0 } key } k && e["value"] is { Value: { } value } v)
                    env.Add(new ConfigEntry(key, value, k.Location, v.Location, path));
            foreach (var vm in container["volumeMounts"]?.Items ?? [])
            {
                if (vm.Text("mountPath") is not { Length: > 0 } mountPath || vm.Text("name") is not { } volumeName) continue;
                var provider = volumes.TryGetValue(volumeName, out var volume) && volume["secret"]?.Text("secretName") is { } secret
                    ? $"Kubernetes Secret '{secret}' (volume '{volumeName}')" : $"volume '{volumeName}'";
                mounts.Add(new ContainerMount(ContainerPaths.Combine("/", mountPath), null, true, provider, vm.Location));
            }
        }
        return new KubeWorkload(kind, name, at, Map(template?["metadata"]?["labels"]), image, env, mounts);
    }

    private static Dictionary<string, string> Map(YamlNode? node) =>
        (node?.Pairs ?? []).Where(p => p.Key.Value is not null && p.Value.Value is not null)
            .GroupBy(p => p.Key.Value!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value.Value!, StringComparer.Ordinal);
}

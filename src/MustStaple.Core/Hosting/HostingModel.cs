using MustStaple.Diagnostics;
using MustStaple.Kestrel;

namespace MustStaple.Hosting;

/// <summary>Where a service is declared.</summary>
public enum HostKind
{
    /// <summary>A Dockerfile no compose file builds: its image, run by something the repository does not show.</summary>
    Dockerfile,

    /// <summary>A compose service.</summary>
    Compose,

    /// <summary>A Kubernetes workload (Deployment, StatefulSet, Pod…).</summary>
    Kubernetes,
}

/// <summary>A port a service publishes to clients (compose <c>ports:</c>), or the container port a Kubernetes Service targets.</summary>
public sealed record PublishedPort(int ContainerPort, int? HostPort, SourceLocation Location);

/// <summary>One compose service as written: what <see cref="HostingReader"/> turns into a <see cref="HostedService"/>.</summary>
public sealed class ComposeService
{
    /// <summary>The service's key.</summary>
    public required string Name { get; init; }

    /// <summary>Where the key is written.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary><c>image:</c>, if written.</summary>
    public (string Image, SourceLocation Location)? Image { get; init; }

    /// <summary><c>build:</c> resolved to a Dockerfile and context, if written.</summary>
    public (string Dockerfile, string Context)? Build { get; init; }

    /// <summary><c>env_file:</c> then <c>environment:</c> entries, in the order later wins.</summary>
    public required IReadOnlyList<ConfigEntry> Environment { get; init; }

    /// <summary>Volumes, secrets and configs.</summary>
    public required IReadOnlyList<ContainerMount> Mounts { get; init; }

    /// <summary><c>ports:</c> (published to the host): empty when the service publishes nothing.</summary>
    public required IReadOnlyList<PublishedPort> Ports { get; init; }

    /// <summary><c>platform:</c> and image platform hints.</summary>
    public required IReadOnlyList<PlatformSignal> PlatformSignals { get; init; }
}

/// <summary>
/// One running container as the repository describes it: its image, platform, the repository files mapped into it,
/// its environment and what it publishes. Every server reader resolves container paths through it.
/// </summary>
public sealed class HostedService
{
    /// <summary>For messages: <c>compose service 'web'</c>, <c>image of Dockerfile 'Dockerfile'</c>, <c>Deployment 'api'</c>.</summary>
    public string Name => Label.English;

    /// <summary>How messages name it, in any language (Localization/Hosting.resx).</summary>
    public required Localization.LocalizedText Label { get; init; }

    /// <summary>Where the service is declared.</summary>
    public required HostKind Kind { get; init; }

    /// <summary>Where the service is declared (compose key, Dockerfile FROM, manifest container).</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>The image it runs (the built Dockerfile's final base image, or <c>image:</c>).</summary>
    public string? Image { get; init; }

    /// <summary>The platform its image shows.</summary>
    public TargetPlatform Platform { get; init; }

    /// <summary>The repository files in the container.</summary>
    public required ContainerFileSystem Files { get; init; }

    /// <summary>Its environment (image ENV, then env_file, then environment).</summary>
    public required IReadOnlyList<ConfigEntry> Environment { get; init; }

    /// <summary>What it publishes to clients; null when the repository does not say (a lone Dockerfile, <c>docker run -p</c>).</summary>
    public IReadOnlyList<PublishedPort>? Published { get; init; }

    /// <summary>Names other services reach it by (the compose service name, Kubernetes Service names).</summary>
    public IReadOnlyList<string> HostNames { get; init; } = [];

    /// <summary>The Dockerfile it is built from, if any.</summary>
    public string? Dockerfile { get; init; }

    /// <summary>The image and the files of the services: where a repository file appears inside a container.</summary>
    public IEnumerable<string> ContainerPathsOf(string hostPath) =>
        Files.Mounts.Where(m => m.HostPath is not null && m.Pattern is null && m.Excluded is null)
            .Select(m => m.HostPath == hostPath ? m.ContainerPath
                : m.IsFolder && SourcePaths.RelativeTo(hostPath, m.HostPath!) is { Length: > 0 } rel ? ContainerPaths.Combine(m.ContainerPath, rel.Replace('\\', '/'))
                : null)
            .OfType<string>().Distinct(StringComparer.Ordinal);
}

/// <summary>Every service the repository's Dockerfiles, compose files and Kubernetes manifests describe.</summary>
public sealed class HostingModel
{
    /// <summary>No container files.</summary>
    public static readonly HostingModel Empty = new() { Services = [] };

    /// <summary>The services, in path order.</summary>
    public required IReadOnlyList<HostedService> Services { get; init; }

    /// <summary>Kubernetes objects that route clients (Service, Ingress) and hold certificates (TLS Secrets, controller ConfigMaps).</summary>
    public KubernetesObjects Kubernetes { get; init; } = KubernetesObjects.Empty;

    /// <summary>Problems met reading container files.</summary>
    public IReadOnlyList<LoadError> Errors { get; init; } = [];

    /// <summary>
    /// The service that holds repository file <paramref name="hostPath"/> and the container path it has there; the
    /// first in service order when several do (null when no container holds it).
    /// </summary>
    public (HostedService Service, string ContainerPath)? Locate(string hostPath) => LocateAll(hostPath).Select(x => ((HostedService, string)?)x).FirstOrDefault();

    /// <summary>Every service that holds repository file <paramref name="hostPath"/>, with its container path there.</summary>
    public IEnumerable<(HostedService Service, string ContainerPath)> LocateAll(string hostPath) =>
        Services.SelectMany(s => s.ContainerPathsOf(hostPath).Select(p => (s, p)));
}

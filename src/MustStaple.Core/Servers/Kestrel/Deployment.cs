using MustStaple.Hosting;

namespace MustStaple.Kestrel;

/// <summary>One ASP.NET Core content root: its effective Kestrel configuration, platform and what it serves.</summary>
public sealed class Deployment
{
    /// <summary>The content root (project folder); certificate paths are relative to it.</summary>
    public required string ContentRoot { get; init; }

    /// <summary>The environment name used to pick <c>appsettings.{Environment}.json</c>.</summary>
    public required string Environment { get; init; }

    /// <summary>The merged configuration.</summary>
    public required ConfigView Config { get; init; }

    /// <summary>The target platform after weighing every signal.</summary>
    public required TargetPlatform Platform { get; init; }

    /// <summary>Why the platform is what it is (for messages).</summary>
    public required Localization.LocalizedText PlatformReason { get; init; }

    /// <summary>The target image has the public CA bundle (official .NET images do).</summary>
    public required bool HasPublicRoots { get; init; }

    /// <summary>Certificate files the Dockerfile copies into a trust store.</summary>
    public required IReadOnlyList<string> AddedTrustFiles { get; init; }

    /// <summary>Endpoints, configured and implicit.</summary>
    public required IReadOnlyList<KestrelEndpoint> Endpoints { get; init; }

    /// <summary>Every certificate section, including ignored ones, for configuration rules.</summary>
    public required IReadOnlyList<CertificateSettings> CertificateSections { get; init; }

    /// <summary><c>EndpointDefaults:Certificate</c>, which Kestrel ignores.</summary>
    public ConfigEntry? EndpointDefaultsCertificate { get; init; }

    /// <summary>What each HTTPS endpoint (and Sni entry) serves.</summary>
    public required IReadOnlyList<ServedCertificate> Served { get; init; }

    /// <summary>The container's files as the repository provides them (Dockerfile COPY, compose volumes, secrets), or null without containers.</summary>
    public ContainerFileSystem? FileSystem { get; init; }

    /// <summary>§2.7.4: Certificates:Default has an empty Path (an unset ARG, say) and an https address is written: Kestrel does not start.</summary>
    public (CertificateSettings Settings, ConfigEntry Address)? EmptyDefaultCertificate { get; init; }

    /// <summary>
    /// §2.7.2: the base image is an official .NET image, whose <c>ASPNETCORE_HTTP_PORTS=8080</c> binds http only, and
    /// nothing in the repository adds an https address: where the image is set (its FROM), else null.
    /// </summary>
    public Diagnostics.SourceLocation? ImageBindsHttpOnly { get; init; }

    /// <summary>The Dockerfiles, compose files and manifests that describe its container.</summary>
    public IReadOnlyList<string> ContainerFiles { get; init; } = [];

    /// <summary>The front clients meet instead of this deployment's endpoints (a proxy service, an Ingress), when the hosting layer shows one.</summary>
    public Localization.LocalizedText? Front { get; internal set; }

    /// <summary>Files that could not be read while composing the configuration.</summary>
    public required IReadOnlyList<LoadError> Errors { get; init; }

    /// <summary>
    /// The appsettings files this deployment loads (appsettings.json, appsettings.{Environment}.json) that
    /// Microsoft.Extensions.Configuration.Json refuses: the app does not start. Located where the parser stops.
    /// </summary>
    public IReadOnlyList<LoadError> RefusedAppSettings { get; init; } = [];
}

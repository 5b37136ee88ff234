using MustStaple.Diagnostics;
using MustStaple.Discovery;

namespace MustStaple.Kestrel;

/// <summary>Facts a front knows about the project beyond its files (MSBuild properties, flags).</summary>
public sealed class DeploymentHints
{
    /// <summary>Explicit environment name (--environment / MustStapleEnvironment).</summary>
    public string? Environment { get; init; }

    /// <summary>Explicit platform (--target-os / MustStapleTargetOS).</summary>
    public TargetPlatform? TargetPlatform { get; init; }

    /// <summary>Evaluated MSBuild properties (RuntimeIdentifier, ContainerBaseImage…), from the task.</summary>
    public IReadOnlyDictionary<string, string> ProjectProperties { get; init; } = new Dictionary<string, string>();
}

/// <summary>Composes each content root's configuration as ASP.NET Core does and derives endpoints and platform.</summary>
public static class DeploymentReader
{
    /// <summary>Reads every content root of <paramref name="assets"/> that has Kestrel-relevant configuration.</summary>
    public static IReadOnlyList<Deployment> Read(AssetSet assets, DeploymentHints hints, Func<string, byte[]?> readFile)
    {
        var roots = assets.ContentRoots
            .Concat(assets.OfKind(AssetKind.AppSettings).Select(a => Path.GetDirectoryName(a.Path)!))
            .Distinct(StringComparer.Ordinal).OrderBy(r => r, StringComparer.Ordinal);
        var result = new List<Deployment>();
        var parsed = new Dictionary<string, ContainerFacts?>(StringComparer.Ordinal); // a Dockerfile shared by roots is read once
        foreach (var root in roots)
            result.Add(ReadOne(root, assets, hints, readFile, parsed));
        return result;
    }

    private static Deployment ReadOne(string root, AssetSet assets, DeploymentHints hints, Func<string, byte[]?> readFile,
        Dictionary<string, ContainerFacts?> parsed)
    {
        var errors = new List<LoadError>();
        var containers = ContainerFiles(root, assets, readFile, parsed);
        errors.AddRange(containers.Select(c => c.Error).OfType<LoadError>());
        var env = new List<ConfigEntry>(containers.SelectMany(c => c.Environment));

        var environment = hints.Environment
            ?? LastValue(env, "ASPNETCORE_ENVIRONMENT") ?? LastValue(env, "DOTNET_ENVIRONMENT") ?? "Production";

        var view = new ConfigView();
        // WebApplicationBuilder order: ASPNETCORE_-prefixed variables (host configuration) first, then
        // appsettings.json, appsettings.{Environment}.json, then unprefixed environment variables.
        view.AddLayer(env.Where(e => e.Key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase))
            .Select(e => e with { Key = e.Key.Substring("ASPNETCORE_".Length).Replace("__", ":") }));
        foreach (var name in new[] { "appsettings.json", $"appsettings.{environment}.json" })
        {
            var file = assets.InFolder(root, AssetKind.AppSettings).FirstOrDefault(a =>
                string.Equals(Path.GetFileName(a.Path), name, StringComparison.OrdinalIgnoreCase));
            if (file is null || readFile(file.Path) is not { } bytes) continue;
            var (entries, error) = Discovery.ReadBoundary.Guard(file.Path, "JSON configuration file", () => JsonConfigReader.Read(file.Path, bytes),
                fault => ((IReadOnlyList<ConfigEntry>)[], (LoadError?)fault));
            if (error is not null) errors.Add(error);
            view.AddLayer(entries);
        }
        view.AddLayer(env.Where(e => e.Key.Contains("__") && !e.Key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
                && !e.Key.StartsWith("DOTNET_", StringComparison.OrdinalIgnoreCase))
            .Select(e => e with { Key = e.Key.Replace("__", ":") }));

        var (platform, reason) = PlatformResolver.Resolve(root, assets, hints, containers, readFile, errors);
        var model = KestrelConfigReader.Read(view, root, env);
        var image = containers.Select(c => c.BaseImage).LastOrDefault(b => b is not null)?.Image;
        var installsCa = containers.Any(c => c.MentionsCaCertificates);
        return new Deployment
        {
            ContentRoot = root,
            Environment = environment,
            Config = view,
            Platform = platform,
            PlatformReason = reason,
            HasPublicRoots = image is null || !IsBareDistroImage(image) || installsCa,
            AddedTrustFiles = containers.SelectMany(c => c.TrustedCertificateSources.Select(s => KestrelConfigReader.TryResolvePath(s, Path.GetDirectoryName(c.Path)!)))
                .OfType<string>().ToArray(),
            Endpoints = model.Endpoints,
            CertificateSections = model.Sections,
            EndpointDefaultsCertificate = model.EndpointDefaultsCertificate,
            Served = model.Served,
            Errors = errors,
        };
    }

    // A plain distribution image (debian:12-slim…) has no CA bundle unless the Dockerfile installs ca-certificates.
    private static bool IsBareDistroImage(string image)
    {
        var name = image.Split('@')[0].Split(':')[0].ToUpperInvariant();
        var last = name.Substring(name.LastIndexOf('/') + 1);
        return last is "DEBIAN" or "UBUNTU" or "ALPINE" or "BUSYBOX" or "SCRATCH" && !name.Contains("DOTNET");
    }

    private static string? LastValue(List<ConfigEntry> env, string key) =>
        env.LastOrDefault(e => e.Key.Equals(key, StringComparison.OrdinalIgnoreCase))?.Value;

    // Docker reads a Dockerfile as bytes (invalid UTF-8 passes); compose is YAML, whose parser refuses invalid UTF-8.
    private static ContainerFacts? ReadContainerFile(string path, AssetKind kind, byte[] bytes)
    {
        if (kind == AssetKind.Dockerfile)
            return ContainerFileReader.ReadDockerfile(path, Discovery.TextDecoder.Decode(bytes, strict: false).Text ?? "");
        var (text, line, error) = Discovery.TextDecoder.Decode(bytes);
        return text is null
            ? new ContainerFacts { Path = path, Environment = [], TrustedCertificateSources = [], Error = new LoadError(SourceLocation.OnLine(path, line, 1, 1), error!) }
            : ContainerFileReader.ReadCompose(path, text);
    }

    /// <summary>Dockerfiles and compose files that apply to <paramref name="root"/>: in it, else the nearest folder above it within the source root.</summary>
    internal static List<ContainerFacts> ContainerFiles(string root, AssetSet assets, Func<string, byte[]?> readFile,
        Dictionary<string, ContainerFacts?> parsed)
    {
        var result = new List<ContainerFacts>();
        foreach (var kind in new[] { AssetKind.Dockerfile, AssetKind.Compose })
        {
            for (var dir = root; dir is not null && dir.StartsWith(assets.SourceRoot, StringComparison.Ordinal); dir = Path.GetDirectoryName(dir))
            {
                var here = assets.InFolder(dir, kind);
                if (kind == AssetKind.Dockerfile && here.Count > 1)
                    here = here.Where(a => Path.GetFileName(a.Path).Equals("Dockerfile", StringComparison.OrdinalIgnoreCase)).ToList();
                foreach (var a in here)
                {
                    if (!parsed.TryGetValue(a.Path, out var facts))
                    {
                        facts = readFile(a.Path) is { } bytes
                            ? Discovery.ReadBoundary.Guard(a.Path, kind == AssetKind.Dockerfile ? "Dockerfile" : "compose file",
                                () => ReadContainerFile(a.Path, kind, bytes),
                                fault => new ContainerFacts { Path = a.Path, Environment = [], TrustedCertificateSources = [], Error = fault })
                            : null;
                        parsed[a.Path] = facts;
                    }
                    if (facts is not null) result.Add(facts);
                }
                if (here.Count > 0) break;
            }
        }
        return result;
    }
}

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
    /// <summary>Reads every content root of <paramref name="assets"/> that has Kestrel-relevant configuration, drawing on <paramref name="budget"/> (the run's).</summary>
    public static IReadOnlyList<Deployment> Read(AssetSet assets, DeploymentHints hints, Func<string, byte[]?> readFile, WorkBudget? budget = null)
    {
        budget ??= new WorkBudget();
        var roots = assets.ContentRoots
            .Concat(assets.OfKind(AssetKind.AppSettings).Select(a => Path.GetDirectoryName(a.Path)!))
            .Distinct(StringComparer.Ordinal).OrderBy(r => r, StringComparer.Ordinal);
        var result = new List<Deployment>();
        var parsed = new Dictionary<string, (ContainerFacts? Facts, DockerStage? Final)>(StringComparer.Ordinal); // a Dockerfile shared by roots is read once
        foreach (var root in roots)
        {
            // The fault boundary of one content root: whatever its reading throws is one MST0001, the other roots are read.
            result.Add(ReadBoundary.Guard(root, "deployment", () => ReadOne(root, assets, hints, readFile, parsed, budget),
                fault => Unreadable(root, hints, fault)));
        }
        return result;
    }

    private static Deployment Unreadable(string root, DeploymentHints hints, LoadError fault) => new()
    {
        ContentRoot = root, Environment = hints.Environment ?? "Production", Config = new ConfigView(), Platform = hints.TargetPlatform ?? TargetPlatform.Unknown,
        PlatformReason = "", HasPublicRoots = true, AddedTrustFiles = [], Endpoints = [], CertificateSections = [], Served = [], Errors = [fault],
    };

    private static Deployment ReadOne(string root, AssetSet assets, DeploymentHints hints, Func<string, byte[]?> readFile,
        Dictionary<string, (ContainerFacts? Facts, DockerStage? Final)> parsed, WorkBudget budget)
    {
        var errors = new List<LoadError>();
        var (containers, images) = ContainerFiles(root, assets, readFile, parsed, budget);
        errors.AddRange(containers.Select(c => c.Error).OfType<LoadError>());
        var env = new List<ConfigEntry>(containers.SelectMany(c => c.Environment));

        // docs/evidence/kestrel.md#item1: with WebApplication.CreateBuilder, DOTNET_ENVIRONMENT wins over ASPNETCORE_ENVIRONMENT.
        var environment = hints.Environment
            ?? LastValue(env, "DOTNET_ENVIRONMENT") ?? LastValue(env, "ASPNETCORE_ENVIRONMENT") ?? "Production";
        var (platform, reason) = PlatformResolver.Resolve(root, assets, hints, containers, readFile, errors);

        var view = new ConfigView();
        var refused = new List<LoadError>();
        // docs/evidence/kestrel.md#item2, WebApplicationBuilder order: ASPNETCORE_-prefixed variables (host configuration) first, then
        // appsettings.json, appsettings.{Environment}.json, then unprefixed environment variables.
        view.AddLayer(env.Where(e => e.Key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase))
            .Select(e => e with { Key = e.Key.Substring("ASPNETCORE_".Length).Replace("__", ":") }));
        // docs/evidence/kestrel.md#item2: on Linux the environment file's name is case-sensitive (appsettings.staging.json is not Staging's).
        // An unknown platform is read as Linux reads it: Linux is the only platform where a verdict can be a pass.
        var nameComparison = platform is TargetPlatform.Windows or TargetPlatform.MacOS ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        foreach (var name in new[] { "appsettings.json", $"appsettings.{environment}.json" })
        {
            var file = assets.InFolder(root, AssetKind.AppSettings).FirstOrDefault(a => string.Equals(Path.GetFileName(a.Path), name, nameComparison))
                ?? (name == "appsettings.json" ? assets.InFolder(root, AssetKind.AppSettings).FirstOrDefault(a =>
                    string.Equals(Path.GetFileName(a.Path), name, StringComparison.OrdinalIgnoreCase)) : null);
            if (file is null || readFile(file.Path) is not { } bytes) continue;
            var faulted = false;
            var (entries, error) = Discovery.ReadBoundary.Guard(file.Path, "JSON configuration file", () => JsonConfigReader.Read(file.Path, bytes, budget),
                fault => { faulted = true; return ((IReadOnlyList<ConfigEntry>)[], (LoadError?)fault); });
            // What the configuration library refuses stops the app this deployment runs (MST0008); our own reader
            // failing on a file, or the run's budget running out, stays an unreadable input (MST0001).
            if (error is not null) (faulted || !error.Message.Contains("so the app would not start") ? errors : refused).Add(error);
            view.AddLayer(entries);
        }
        view.AddLayer(env.Where(e => e.Key.Contains("__") && !e.Key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
                && !e.Key.StartsWith("DOTNET_", StringComparison.OrdinalIgnoreCase))
            .Select(e => e with { Key = e.Key.Replace("__", ":") }));

        // The images' files are materialised within the budget: a Dockerfile whose stages fan out is one MST0001 on it.
        var fileSystem = ReadBoundary.Guard(root, "container file system",
            () => ContainerFileSystem.Build(images, containers.SelectMany(c => c.Mounts), p => IsFolder(p, assets.SourceRoot), budget),
            fault =>
            {
                errors.Add(fault);
                return ContainerFileSystem.Build([], containers.SelectMany(c => c.Mounts), p => IsFolder(p, assets.SourceRoot), budget);
            });
        var model = KestrelConfigReader.Read(view, root, env, containers.Count > 0 ? fileSystem : null);
        var image = containers.Select(c => c.BaseImage).LastOrDefault(b => b is not null)?.Image;
        var installsCa = containers.Any(c => c.MentionsCaCertificates);
        var sections = model.Sections.Select(s => WithKeyFacts(s, assets.SourceRoot, readFile)).ToList();
        return new Deployment
        {
            ContentRoot = root,
            Environment = environment,
            Config = view,
            Platform = platform,
            PlatformReason = reason,
            HasPublicRoots = image is null || !IsBareDistroImage(image) || installsCa,
            AddedTrustFiles = TrustFiles(fileSystem, assets.SourceRoot).ToArray(),
            Endpoints = model.Endpoints,
            CertificateSections = sections,
            EndpointDefaultsCertificate = model.EndpointDefaultsCertificate,
            Served = model.Served.Select(s => s.WithSettings(sections)).ToList(),
            Errors = errors,
            RefusedAppSettings = refused,
            FileSystem = containers.Count > 0 ? fileSystem : null,
        };
    }

    // Repository files the image has in a CA trust location (Dockerfile COPY, or a volume over it).
    // A folder is listed only where it really lies inside the root (a committed link to /etc/ssl/certs is never listed).
    private static IEnumerable<string> TrustFiles(ContainerFileSystem fs, string sourceRoot) =>
        fs.Mounts.Where(m => m.HostPath is not null && m.Pattern is null && IsTrustLocation(m.ContainerPath)
                && SourcePaths.RelativeTo(m.HostPath, sourceRoot) is not null)
            .Select(m => m.HostPath!).Distinct(StringComparer.Ordinal)
            .SelectMany(p => IsFolder(p, sourceRoot) ? FilesIn(p) : [p]);

    private static string[] FilesIn(string folder)
    {
        try { return Directory.EnumerateFiles(folder).Take(1000).ToArray(); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return []; }
    }

    private static bool IsTrustLocation(string dest) =>
        dest.Contains("/usr/local/share/ca-certificates") || dest.Contains("x509stores") || dest.Contains("/etc/ssl/certs");

    // Asked only of paths that really lie inside the root: nothing past a link that leaves it is stat'ed.
    private static bool IsFolder(string path, string sourceRoot) =>
        SourcePaths.RelativeTo(path, sourceRoot) is not null && InputFile.IsFolderUnderRoot(path, sourceRoot);

    // docs/evidence/kestrel.md#item9 needs to know whether the KeyPath file is an encrypted PEM key when a Password applies (only its markers
    // are looked at; the key is never parsed).
    private static CertificateSettings WithKeyFacts(CertificateSettings s, string sourceRoot, Func<string, byte[]?> readFile)
    {
        if (s.Password?.Value is not { Length: > 0 } || s.ResolvedKeyPath is not { } key || !InputFile.IsUnderRoot(key, sourceRoot)) return s;
        if (readFile(key) is not { } bytes) return s;
        var text = System.Text.Encoding.ASCII.GetString(bytes, 0, Math.Min(bytes.Length, 64 * 1024));
        bool? encrypted = text.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || text.Contains("Proc-Type: 4,ENCRYPTED") ? true
            : text.Contains("PRIVATE KEY-----") ? false : null;
        return s.WithKeyEncrypted(encrypted);
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

    /// <summary>
    /// Container files that apply to <paramref name="root"/>: every Dockerfile (any name) in it, else in the nearest
    /// folder above it within the source root; compose files likewise, plus the Dockerfiles their services build.
    /// Returns the facts and the final stages with their build contexts.
    /// </summary>
    internal static (List<ContainerFacts> Facts, List<(DockerStage Final, string Context)> Images) ContainerFiles(string root, AssetSet assets,
        Func<string, byte[]?> readFile, Dictionary<string, (ContainerFacts? Facts, DockerStage? Final)> parsed, WorkBudget budget)
    {
        var composes = Nearest(root, assets, AssetKind.Compose).Select(a => Parse(a.Path, readFile, parsed, budget)).OfType<ContainerFacts>().ToList();
        var builds = composes.SelectMany(c => c.Builds).Where(b => SourcePaths.RelativeTo(b.Dockerfile, assets.SourceRoot) is not null)
            .GroupBy(b => b.Dockerfile, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Context, StringComparer.Ordinal);
        var dockerfiles = Nearest(root, assets, AssetKind.Dockerfile).Select(a => a.Path)
            .Concat(builds.Keys.Where(p => InputFile.IsUnderRoot(p, assets.SourceRoot) && File.Exists(p))).Distinct(StringComparer.Ordinal).OrderBy(p => p, StringComparer.Ordinal).ToList();
        var facts = new List<ContainerFacts>();
        var images = new List<(DockerStage, string)>();
        foreach (var path in dockerfiles)
        {
            if (!parsed.TryGetValue(path, out var read))
            {
                // Docker reads a Dockerfile as bytes (invalid UTF-8 passes).
                read = readFile(path) is { } bytes
                    ? Discovery.ReadBoundary.Guard(path, "Dockerfile", () => ContainerFileReader.ReadDockerfile(path, Discovery.TextDecoder.Decode(bytes, strict: false).Text ?? ""),
                        fault => (new ContainerFacts { Path = path, Environment = [], Error = fault }, (DockerStage?)null))
                    : (null, null);
                parsed[path] = read;
            }
            if (read.Facts is not { } f) continue;
            facts.Add(f);
            if (read.Final is { } final)
                images.Add((final, builds.TryGetValue(path, out var context) ? context : GuessContext(path, f, assets.SourceRoot)));
        }
        facts.AddRange(composes); // compose environment and mounts apply over the image's
        facts.AddRange(Manifests(root, assets, readFile, parsed, budget));
        return (facts, images);
    }

    // Without compose naming the context: the Dockerfile's folder, or the nearest folder above it (within the
    // source root) in which most COPY sources exist (Visual Studio's Dockerfiles are built from the solution folder).
    private static string GuessContext(string dockerfile, ContainerFacts facts, string sourceRoot)
    {
        var sources = facts.Copies.Where(c => c.FromStage is null && c.FromImage is null).SelectMany(c => c.Sources)
            .Where(s => s.IndexOfAny(['*', '?', '[', '$']) < 0 && s is not "." and not "./").ToList();
        var best = Path.GetDirectoryName(dockerfile)!;
        var bestCount = -1;
        for (var dir = best; dir is not null && SourcePaths.RelativeTo(dir, sourceRoot) is not null; dir = Path.GetDirectoryName(dir))
        {
            // Only where the source really lies inside the root: nothing past a committed link that leaves it is stat'ed.
            var count = sources.Count(s => InputFile.RealPathUnder(Path.Combine(dir, s), sourceRoot) is { } real && (File.Exists(real) || Directory.Exists(real)));
            if (count > bestCount) (best, bestCount) = (dir, count);
            if (count == sources.Count) break;
        }
        return best;
    }

    private static IReadOnlyList<Discovery.Asset> Nearest(string root, AssetSet assets, AssetKind kind)
    {
        for (var dir = root; dir is not null && dir.StartsWith(assets.SourceRoot, StringComparison.Ordinal); dir = Path.GetDirectoryName(dir))
        {
            var here = assets.InFolder(dir, kind);
            if (here.Count > 0) return here;
        }
        return [];
    }

    // Kubernetes manifests in the content root's folder tree; when the repository has a single content root, anywhere
    // in it (manifests usually live in k8s/ or deploy/ beside the app). A YAML file that is not a workload manifest
    // (a workflow, a Helm template that is not YAML yet) is ignored, never reported.
    private static IEnumerable<ContainerFacts> Manifests(string root, AssetSet assets, Func<string, byte[]?> readFile,
        Dictionary<string, (ContainerFacts? Facts, DockerStage? Final)> parsed, WorkBudget budget)
    {
        var single = assets.OfKind(AssetKind.Project).Select(a => Path.GetDirectoryName(a.Path)).Distinct(StringComparer.Ordinal).Count() <= 1;
        foreach (var a in assets.OfKind(AssetKind.Manifest).OrderBy(a => a.Path, StringComparer.Ordinal))
        {
            if (!single && SourcePaths.RelativeTo(a.Path, root) is null) continue;
            if (!parsed.TryGetValue(a.Path, out var read))
            {
                read = (readFile(a.Path) is { } bytes && Discovery.TextDecoder.Decode(bytes).Text is { } text
                    ? Discovery.ReadBoundary.Guard(a.Path, "Kubernetes manifest", () => ComposeReader.ReadManifest(a.Path, text, budget),
                        fault => new ContainerFacts { Path = a.Path, Environment = [], Error = fault })
                    : null, null);
                parsed[a.Path] = read;
            }
            if (read.Facts is { } f) yield return f;
        }
    }

    // Compose is YAML, whose parser refuses invalid UTF-8: one MST0001 with its line.
    private static ContainerFacts ReadCompose(string path, byte[] bytes, WorkBudget budget)
    {
        var (text, line, error) = Discovery.TextDecoder.Decode(bytes);
        return text is null
            ? new ContainerFacts { Path = path, Environment = [], Error = new LoadError(SourceLocation.OnLine(path, line, 1, 1), error!) }
            : ComposeReader.ReadCompose(path, text, budget);
    }

    private static ContainerFacts? Parse(string path, Func<string, byte[]?> readFile, Dictionary<string, (ContainerFacts? Facts, DockerStage? Final)> parsed, WorkBudget budget)
    {
        if (parsed.TryGetValue(path, out var read)) return read.Facts;
        var facts = readFile(path) is { } bytes
            ? Discovery.ReadBoundary.Guard(path, "compose file", () => ReadCompose(path, bytes, budget), fault => new ContainerFacts { Path = path, Environment = [], Error = fault })
            : null;
        parsed[path] = (facts, null);
        return facts;
    }
}

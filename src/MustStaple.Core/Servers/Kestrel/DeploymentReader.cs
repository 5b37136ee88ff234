using MustStaple.Diagnostics;
using MustStaple.Discovery;
using MustStaple.Hosting;

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
    public static IReadOnlyList<Deployment> Read(AssetSet assets, DeploymentHints hints, Func<string, byte[]?> readFile, WorkBudget? budget = null) =>
        Read(assets, hints, new ContainerFileCache(assets.SourceRoot, readFile, budget ?? new WorkBudget()));

    internal static IReadOnlyList<Deployment> Read(AssetSet assets, DeploymentHints hints, ContainerFileCache cache)
    {
        var readFile = cache.Read;
        var budget = cache.Budget;
        var roots = assets.ContentRoots
            .Concat(assets.OfKind(AssetKind.AppSettings).Select(a => Path.GetDirectoryName(a.Path)!))
            .Distinct(StringComparer.Ordinal).OrderBy(r => r, StringComparer.Ordinal);
        var result = new List<Deployment>();
        foreach (var root in roots)
        {
            // The fault boundary of one content root: whatever its reading throws is one MST0001, the other roots are read.
            var (containers, images) = HostingReader.ContainerFiles(root, assets, cache);
            // docs/evidence/kestrel.md#round3 / issue 23: a Linux and a Windows Dockerfile for one project are two images, each with
            // its own verdict (the message names the image through the platform reason), never one unknown platform.
            var dockerfiles = containers.Where(c => c.BaseImage is not null && images.Any(i => i.Final.Image.Location.Path == c.Path)).ToList();
            var platforms = dockerfiles.Select(c => TargetPlatformText.FromImage(c.BaseImage!.Value.Image)).OfType<TargetPlatform>().Distinct().Count();
            if (platforms < 2)
            {
                result.Add(ReadBoundary.Guard(root, "deployment", () => ReadOne(root, assets, hints, readFile, cache, containers, images, budget),
                    fault => Unreadable(root, hints, fault)));
                continue;
            }
            var shared = containers.Except(dockerfiles).ToList();
            foreach (var d in dockerfiles)
                result.Add(ReadBoundary.Guard(root, "deployment", () => ReadOne(root, assets, hints, readFile, cache, [d, .. shared],
                    images.Where(i => i.Final.Image.Location.Path == d.Path).ToList(), budget), fault => Unreadable(root, hints, fault)));
        }
        return result;
    }

    private static Deployment Unreadable(string root, DeploymentHints hints, LoadError fault) => new()
    {
        ContentRoot = root, Environment = hints.Environment ?? "Production", Config = new ConfigView(), Platform = hints.TargetPlatform ?? TargetPlatform.Unknown,
        PlatformReason = Localization.LocalizedText.Plain(""), HasPublicRoots = true, AddedTrustFiles = [], Endpoints = [], CertificateSections = [], Served = [], Errors = [fault],
    };

    private static Deployment ReadOne(string root, AssetSet assets, DeploymentHints hints, Func<string, byte[]?> readFile, ContainerFileCache cache,
        List<ContainerFacts> containers, List<(DockerStage Final, string Context)> images, WorkBudget budget)
    {
        var errors = new List<LoadError>();
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
            () => ContainerFileSystem.Build(images, containers.SelectMany(c => c.Mounts), p => IsFolder(p, assets.SourceRoot), cache.Ignore, budget),
            fault =>
            {
                errors.Add(fault);
                return ContainerFileSystem.Build([], containers.SelectMany(c => c.Mounts), p => IsFolder(p, assets.SourceRoot), cache.Ignore, budget);
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
            EmptyDefaultCertificate = model.EmptyDefault,
            ImageBindsHttpOnly = model.Endpoints.Count == 1 && model.Endpoints[0].Name == "(default https address)"
                && KestrelConfigReader.ImplicitHttps(view, env) is (true, null) ? OfficialImage(containers) : null,
            Served = model.Served.Select(s => s.WithSettings(sections)).ToList(),
            Errors = errors,
            RefusedAppSettings = refused,
            FileSystem = containers.Count > 0 ? fileSystem : null,
            ContainerFiles = containers.Select(c => c.Path).ToList(),
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

    // docs/evidence/kestrel.md#item9 and #round3-key need to know whether the KeyPath file is an encrypted PEM key, with or
    // without a Password (only its markers are looked at; the key is never parsed).
    private static CertificateSettings WithKeyFacts(CertificateSettings s, string sourceRoot, Func<string, byte[]?> readFile)
    {
        if (s.KeyPath?.Value is not { Length: > 0 } || s.ResolvedKeyPath is not { } key || !InputFile.IsUnderRoot(key, sourceRoot)) return s;
        if (readFile(key) is not { } bytes) return s;
        var text = System.Text.Encoding.ASCII.GetString(bytes, 0, Math.Min(bytes.Length, 64 * 1024));
        bool? encrypted = text.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || text.Contains("Proc-Type: 4,ENCRYPTED") ? true
            : text.Contains("PRIVATE KEY-----") ? false : null;
        return s.WithKeyEncrypted(encrypted);
    }

    // §2.7.2: the official ASP.NET Core and runtime images set ASPNETCORE_HTTP_PORTS=8080 (ASPNETCORE_URLS=http://+:80 before
    // .NET 8): with no https address added, Kestrel binds http only.
    private static SourceLocation? OfficialImage(List<ContainerFacts> containers) =>
        containers.Select(c => c.BaseImage).OfType<(string Image, SourceLocation Location)>()
            .Concat(containers.SelectMany(c => c.Services).Select(s => s.Image).OfType<(string Image, SourceLocation Location)>())
            .Where(i => IsOfficialRuntimeImage(i.Image)).Select(i => (SourceLocation?)i.Location).FirstOrDefault();

    private static bool IsOfficialRuntimeImage(string image)
    {
        var name = image.Split('@')[0].Split(':')[0].ToLowerInvariant();
        return name.StartsWith("mcr.microsoft.com/dotnet/", StringComparison.Ordinal)
            && name.Substring("mcr.microsoft.com/dotnet/".Length) is "aspnet" or "runtime" or "runtime-deps" or "nightly/aspnet" or "nightly/runtime" or "nightly/runtime-deps";
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
}

using MustStaple.Discovery;
using MustStaple.Servers.Apache;
using MustStaple.Servers.Caddy;
using MustStaple.Servers.HAProxy;
using MustStaple.Servers.Nginx;

namespace MustStaple.Servers;

/// <summary>
/// The one entry point for server configurations other than Kestrel: finds the root files among the discovered
/// assets, hands each to its server's reader, then reads the staple files the endpoints name.
/// </summary>
public static class ServerConfigReader
{
    /// <summary>Every server configuration in <paramref name="assets"/>; files are read only through <paramref name="read"/>.</summary>
    public static IReadOnlyList<ServerDeployment> Read(AssetSet assets, string sourceRoot, Func<string, byte[]?> read, WorkBudget? budget = null)
    {
        // One cache for the run: a file included by many configurations is read and parsed once, a folder listed once.
        var cache = new ConfigFiles.RunCache(budget ?? new WorkBudget());
        ConfigFiles Files(string root) => new(sourceRoot, read, root, cache);
        var deployments = new List<ServerDeployment>();
        deployments.AddRange(ReadNginx(assets, Files));
        deployments.AddRange(ReadApache(assets, Files));
        deployments.AddRange(assets.OfKind(AssetKind.CaddyConfig).Where(a => !a.Path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            .Select(a => Guard(ServerKind.Caddy, a.Path, () => CaddyfileReader.Read(a.Path, Files(a.Path)))));
        deployments.AddRange(assets.OfKind(AssetKind.CaddyConfig).Where(a => a.Path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            .Select(a => Guard(ServerKind.Caddy, a.Path, () => CaddyJsonReader.Read(a.Path, Files(a.Path), read(a.Path)))));
        deployments.AddRange(assets.OfKind(AssetKind.HAProxyConfig)
            .Select(a => Guard(ServerKind.HAProxy, a.Path, () => HAProxyReader.Read(a.Path, Files(a.Path)))));
        foreach (var served in deployments.SelectMany(d => d.Endpoints).SelectMany(e => e.Certificates))
        {
            if (served.StapleFile?.ResolvedPath is not { } staple || served.Certificate.ResolvedPath is not { } cert) continue;
            served.Staple = ReadBoundary.Guard(staple, "OCSP response", () => StapleReader.Read(read(staple), read(cert), served.IssuerSources.Select(s => s.ResolvedPath is { } p ? read(p) : null)),
                _ => new StapleFacts { Unusable = "it is not a DER OCSP response" });
        }
        return deployments;
    }

    /// <summary>Files the server configurations name as staple files: they are OCSP responses, not certificates.</summary>
    public static IEnumerable<string> StapleFiles(IEnumerable<ServerDeployment> deployments) =>
        deployments.SelectMany(d => d.Endpoints).SelectMany(e => e.Certificates).Select(c => c.StapleFile?.ResolvedPath).OfType<string>();

    /// <summary>Certificate files the configurations name (served and issuer sources), to be loaded even when discovery did not list them.</summary>
    public static IEnumerable<string> CertificateFiles(IEnumerable<ServerDeployment> deployments) =>
        deployments.SelectMany(d => d.Endpoints).SelectMany(e => e.Certificates)
            .SelectMany(c => c.IssuerSources.Prepend(c.Certificate)).Select(r => r.ResolvedPath).OfType<string>();

    private static IEnumerable<ServerDeployment> ReadNginx(AssetSet assets, Func<string, ConfigFiles> files)
    {
        var paths = assets.OfKind(AssetKind.NginxConfig).Select(a => a.Path).ToList();
        var included = new HashSet<string>(StringComparer.Ordinal);
        // Main files first: whatever they include is read as part of them, not again on its own.
        var mains = paths.Where(IsNginxMain).ToList();
        foreach (var main in mains)
            if (!ConfigFiles.WasRead(included, main)) yield return Guard(ServerKind.Nginx, main, () => NginxReader.Read(main, files(main), included));
        foreach (var file in paths.Where(f => !IsNginxMain(f) && !IsNotEnabled(f, mains)))
            if (!ConfigFiles.WasRead(included, file)) yield return Guard(ServerKind.Nginx, file, () => NginxReader.Read(file, files(file), included));
    }

    private static IEnumerable<ServerDeployment> ReadApache(AssetSet assets, Func<string, ConfigFiles> files)
    {
        var paths = assets.OfKind(AssetKind.ApacheConfig).Select(a => a.Path).ToList();
        var included = new HashSet<string>(StringComparer.Ordinal);
        var mains = paths.Where(IsApacheMain).ToList();
        foreach (var main in mains)
            if (!ConfigFiles.WasRead(included, main)) yield return Guard(ServerKind.Apache, main, () => ApacheReader.Read(main, isMain: true, files(main), included));
        foreach (var file in paths.Where(f => !IsApacheMain(f) && !IsNotEnabled(f, mains)))
            if (!ConfigFiles.WasRead(included, file)) yield return Guard(ServerKind.Apache, file, () => ApacheReader.Read(file, isMain: false, files(file), included));
    }

    // The per-file fault boundary: whatever a reader throws on one configuration is one MST0001 on it, and the run goes on.
    private static ServerDeployment Guard(ServerKind server, string path, Func<ServerDeployment> read) =>
        ReadBoundary.Guard(path, $"{server} configuration", read, fault => new ServerDeployment
        {
            Server = server,
            ConfigFile = path,
            Endpoints = [],
            Problems = [new Certificates.LoadProblem(Rules.RuleIds.UnreadableInput, fault.Location, $"'{Path.GetFileName(path)}' could not be read: {fault.Message}")],
        });

    private static bool IsApacheMain(string path) =>
        Path.GetFileName(path).Equals("apache2.conf", StringComparison.OrdinalIgnoreCase) || Path.GetFileName(path).Equals("httpd.conf", StringComparison.OrdinalIgnoreCase);

    // With a main configuration in the repository, sites-available/ holds what it does not enable (Debian's layout):
    // what is enabled is read through the main file's include of sites-enabled/, the rest is not served.
    // A file the server never loads on its own: a dot-file (include globs skip it), or, where a main configuration
    // exists, a sites-available file or a file beside the main or one folder below it that the main did not include (the caller
    // only asks for files the mains did not read).
    private static bool IsNotEnabled(string path, List<string> mains) =>
        Path.GetFileName(path) is ['.', ..] // a dot-file (string.StartsWith(char) does not exist on net472)
        || (mains.Count > 0 && (Path.GetFileName(Path.GetDirectoryName(path) ?? "").Equals("sites-available", StringComparison.OrdinalIgnoreCase)
            || mains.Any(m => IsBeside(path, Path.GetDirectoryName(m)!))));

    // In the main's folder or one level below it (conf.d/, sites-enabled/, custom.d/): the layout one server loads from.
    private static bool IsBeside(string path, string mainFolder)
    {
        var dir = Path.GetDirectoryName(path);
        return string.Equals(dir, mainFolder, StringComparison.Ordinal) || string.Equals(Path.GetDirectoryName(dir), mainFolder, StringComparison.Ordinal);
    }

    private static bool IsNginxMain(string path) => Path.GetFileName(path).Equals("nginx.conf", StringComparison.OrdinalIgnoreCase);
}

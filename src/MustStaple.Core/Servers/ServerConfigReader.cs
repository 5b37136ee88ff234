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
    public static IReadOnlyList<ServerDeployment> Read(AssetSet assets, string sourceRoot, Func<string, byte[]?> read, WorkBudget? budget = null,
        Hosting.HostingModel? hosting = null)
    {
        // One cache for the run: a file included by many configurations is read and parsed once, a folder listed once.
        var cache = new ConfigFiles.RunCache(budget ?? new WorkBudget());
        var (recognized, cached) = Recognize(assets, sourceRoot, read, cache.Budget);
        // A file read to recognize it is not read again by its server's reader.
        byte[]? ReadOnce(string path) => cached.TryGetValue(path, out var bytes) ? bytes : read(path);
        // A configuration file a container holds resolves its paths inside that container (hosting layer, issue 19).
        ConfigFiles Files(ServerKind kind, string root) => new(sourceRoot, ReadOnce, root, cache)
        {
            Container = hosting is null ? null : ServerContainer.For(kind, root, hosting),
            Layout = ServerLayout.Of(kind),
        };
        List<string> Of(ServerKind server) => recognized.Where(r => r.Value.Server == server).Select(r => r.Key).ToList();
        var mains = recognized.Where(r => r.Value.IsMain).Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        var deployments = new List<ServerDeployment>();
        deployments.AddRange(ReadNginx(Of(ServerKind.Nginx), mains, p => Files(ServerKind.Nginx, p)));
        deployments.AddRange(ReadApache(Of(ServerKind.Apache), mains, p => Files(ServerKind.Apache, p)));
        deployments.AddRange(Of(ServerKind.Caddy).Select(p => Guard(ServerKind.Caddy, p, () => CaddyfileReader.Read(p, Files(ServerKind.Caddy, p)))));
        deployments.AddRange(assets.OfKind(AssetKind.CaddyConfig).Where(a => a.Path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            .Select(a => Guard(ServerKind.Caddy, a.Path, () => CaddyJsonReader.Read(a.Path, Files(ServerKind.Caddy, a.Path), read(a.Path)))));
        deployments.AddRange(Of(ServerKind.HAProxy).Select(p => Guard(ServerKind.HAProxy, p, () => HAProxyReader.Read(p, Files(ServerKind.HAProxy, p)))));
        foreach (var served in deployments.SelectMany(d => d.Endpoints).SelectMany(e => e.Certificates))
        {
            if (served.StapleFile?.ResolvedPath is not { } staple || served.Certificate.ResolvedPath is not { } cert) continue;
            served.Staple = ReadBoundary.Guard(staple, "OCSP response", () => StapleReader.Read(read(staple), read(cert), served.IssuerSources.Select(s => s.ResolvedPath is { } p ? read(p) : null)),
                _ => new StapleFacts { Unusable = "it is not a DER OCSP response" });
        }
        return deployments;
    }

    // Which server reads each candidate file, asked of its content (the name and folders only hint). A file found by its
    // name (nginx.conf, conf.d/x.conf) is read through the engine's reader, which reports it when unreadable; any other
    // *.conf/*.cfg is read quietly (most are other programs' configuration) and dropped unless a server's mark is in it.
    private static (Dictionary<string, Recognized> Recognized, Dictionary<string, byte[]> Cached) Recognize(
        AssetSet assets, string sourceRoot, Func<string, byte[]?> read, WorkBudget budget)
    {
        var recognized = new Dictionary<string, Recognized>(StringComparer.Ordinal);
        var cached = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var asset in assets.All) // already in ordinal path order (AssetSet sorts once)
        {
            ServerKind? hint = asset.Kind switch
            {
                AssetKind.NginxConfig => ServerKind.Nginx,
                AssetKind.ApacheConfig => ServerKind.Apache,
                AssetKind.HAProxyConfig => ServerKind.HAProxy,
                AssetKind.CaddyConfig => ServerKind.Caddy,
                _ => null,
            };
            if ((hint is null && asset.Kind != AssetKind.ServerConfig) || asset.Path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
                || recognized.ContainsKey(asset.Path)) continue;
            // In another program's folder a server's file name names what that program watches (syslog-ng's
            // conf.d/nginx.conf routes nginx's logs): the name hints nothing, the file is read quietly like any *.conf.
            var quiet = asset.Kind == AssetKind.ServerConfig;
            if (hint is not null && InOtherProgramsFolder(asset.Path, sourceRoot)) (hint, quiet) = (null, true);
            var bytes = quiet ? InputFile.Read(asset.Path, sourceRoot).Bytes : read(asset.Path);
            // A quiet read draws on the run's budget like any other (the engine's reader charges its own): past a limit,
            // the candidate is not asked.
            if (quiet && bytes is not null && !Charged(budget, asset.Path, bytes.Length)) continue;
            if (bytes is null)
            {
                if (hint is { } named) recognized[asset.Path] = new Recognized(named, IsMainName(asset.Path));
                continue;
            }
            var text = TextDecoder.Decode(bytes, strict: false).Text ?? "";
            if (ConfigRecognizer.Recognize(text, hint, IsMainName(asset.Path)) is not { } what) continue;
            recognized[asset.Path] = what;
            cached[asset.Path] = bytes;
        }
        return (recognized, cached);
    }

    // Programs that keep one file per service they watch or run, named after the service (nginx.conf, haproxy.cfg):
    // loggers, log rotation, supervisors, monitoring agents, intrusion prevention, confinement profiles.
    private static readonly HashSet<string> OtherPrograms = new(StringComparer.OrdinalIgnoreCase)
    {
        "syslog-ng", "rsyslog.d", "logrotate.d", "supervisor", "supervisord", "supervisor.d", "monit", "monit.d", "monitrc.d",
        "fail2ban", "filter.d", "jail.d", "netdata", "telegraf", "telegraf.d", "collectd", "collectd.d", "munin", "nagios",
        "icinga", "icinga2", "zabbix", "zabbix_agentd.d", "datadog-agent", "filebeat", "metricbeat", "promtail", "fluentd",
        "fluent-bit", "td-agent", "vector", "apparmor.d", "logstash", "goaccess", "awstats",
    };

    private static bool InOtherProgramsFolder(string path, string sourceRoot)
    {
        var relative = Diagnostics.SourcePaths.RelativeTo(Path.GetDirectoryName(path) ?? "", sourceRoot);
        return relative is not null && relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Any(OtherPrograms.Contains);
    }

    private static bool Charged(WorkBudget budget, string path, long bytes)
    {
        try
        {
            budget.Charge(path, WorkKind.Bytes, bytes);
            return true;
        }
        catch (WorkLimitException)
        {
            return false;
        }
    }

    private static bool IsMainName(string path) => Path.GetFileName(path).ToUpperInvariant() is "NGINX.CONF" or "APACHE2.CONF" or "HTTPD.CONF";

    /// <summary>Files the server configurations name as staple files: they are OCSP responses, not certificates.</summary>
    public static IEnumerable<string> StapleFiles(IEnumerable<ServerDeployment> deployments) =>
        deployments.SelectMany(d => d.Endpoints).SelectMany(e => e.Certificates).Select(c => c.StapleFile?.ResolvedPath).OfType<string>();

    /// <summary>Certificate files the configurations name (served and issuer sources), to be loaded even when discovery did not list them.</summary>
    public static IEnumerable<string> CertificateFiles(IEnumerable<ServerDeployment> deployments) =>
        deployments.SelectMany(d => d.Endpoints).SelectMany(e => e.Certificates)
            .SelectMany(c => c.IssuerSources.Prepend(c.Certificate)).Select(r => r.ResolvedPath).OfType<string>();

    private static IEnumerable<ServerDeployment> ReadNginx(List<string> paths, HashSet<string> allMains, Func<string, ConfigFiles> files)
    {
        var included = new HashSet<string>(StringComparer.Ordinal);
        // Main files first: whatever they include is read as part of them, not again on its own.
        var mains = paths.Where(allMains.Contains).ToList();
        foreach (var main in mains)
            if (!ConfigFiles.WasRead(included, main)) yield return Guard(ServerKind.Nginx, main, () => NginxReader.Read(main, files(main), included));
        foreach (var file in paths.Where(f => !allMains.Contains(f) && !IsNotEnabled(f, mains)))
            if (!ConfigFiles.WasRead(included, file)) yield return Guard(ServerKind.Nginx, file, () => NginxReader.Read(file, files(file), included));
    }

    private static IEnumerable<ServerDeployment> ReadApache(List<string> paths, HashSet<string> allMains, Func<string, ConfigFiles> files)
    {
        var included = new HashSet<string>(StringComparer.Ordinal);
        var mains = paths.Where(allMains.Contains).ToList();
        foreach (var main in mains)
            if (!ConfigFiles.WasRead(included, main)) yield return Guard(ServerKind.Apache, main, () => ApacheReader.Read(main, isMain: true, files(main), included));
        foreach (var file in paths.Where(f => !allMains.Contains(f) && !IsNotEnabled(f, mains)))
            if (!ConfigFiles.WasRead(included, file)) yield return Guard(ServerKind.Apache, file, () => ApacheReader.Read(file, isMain: false, files(file), included));
    }

    // The per-file fault boundary: whatever a reader throws on one configuration is one MST0001 on it, and the run goes on.
    private static ServerDeployment Guard(ServerKind server, string path, Func<ServerDeployment> read) =>
        ReadBoundary.Guard(path, $"{server} configuration", read, fault => new ServerDeployment
        {
            Server = server,
            ConfigFile = path,
            Endpoints = [],
            Problems = [new Certificates.LoadProblem(Rules.RuleIds.UnreadableInput, fault.Location, Localization.Texts.Input.Text("CouldNotBeRead", Path.GetFileName(path), fault.Text))],
        });

    // With a main configuration in the repository, sites-available/ holds what it does not enable (Debian's layout):
    // what is enabled is read through the main file's include of sites-enabled/, the rest is not served.
    // A file the server never loads on its own: a dot-file (include globs skip it), or, where a main configuration
    // exists, a sites-available file or a file beside the main or one folder below it that the main did not include (the caller
    // only asks for files the mains did not read).
    private static bool IsNotEnabled(string path, List<string> mains) =>
        Path.GetFileName(path) is ['.', ..] // a dot-file (string.StartsWith(char) does not exist on net472)
        || (mains.Count > 0 && (Path.GetFileName(Path.GetDirectoryName(path) ?? "").Equals("sites-available", StringComparison.OrdinalIgnoreCase)
            || mains.Any(m => IsBeside(path, Path.GetDirectoryName(m)!))));

    // In the main's folder or up to two levels below it (conf.d/, sites-enabled/, custom.d/, h5bp's conf.d/templates/):
    // the layout one server loads from.
    private static bool IsBeside(string path, string mainFolder)
    {
        var dir = Path.GetDirectoryName(path);
        for (var level = 0; level < 3 && dir is not null; level++, dir = Path.GetDirectoryName(dir))
            if (string.Equals(dir, mainFolder, StringComparison.Ordinal)) return true;
        return false;
    }
}

using MustStaple.Diagnostics;
using MustStaple.Localization;

namespace MustStaple.Servers.Nginx;

/// <summary>
/// Reads an nginx configuration into TLS endpoints: each <c>server</c> that listens with <c>ssl</c>, its
/// <c>ssl_certificate</c>s and the stapling directives it inherits from <c>http</c> (docs/evidence/nginx.md).
/// </summary>
internal static class NginxReader
{
    // ssl_* directives a server inherits from http when it does not set them itself (nginx's merge rules).
    private static readonly string[] Inherited =
    [
        "ssl_stapling", "ssl_stapling_file", "ssl_stapling_verify", "ssl_stapling_responder", "ssl_trusted_certificate",
        "ssl_client_certificate", "resolver", "ssl",
    ];

    // nginx loads both into the store it searches for the issuer (only ssl_trusted_certificate was measured, N04).
    private static readonly string[] IssuerDirectives = ["ssl_trusted_certificate", "ssl_client_certificate"];

    /// <summary>Reads <paramref name="path"/>: a main configuration, or a file of http-level content (conf.d/*.conf).</summary>
    public static ServerDeployment Read(string path, ConfigFiles files, HashSet<string> included)
    {
        var prefix = files.Container is { } container ? ConfigFiles.InContainer(ContainerPrefix(path, files.SourceRoot, container)) : PrefixOf(path, files.SourceRoot);
        var nodes = NginxParser.Parse(path, prefix, files, included);
        var endpoints = new List<TlsEndpoint>();
        var isMain = nodes.Any(n => n.Name is "http" or "events" or "stream" or "worker_processes");
        var httpBlocks = isMain ? nodes.Where(n => n.Name == "http" && n.Children is not null).Select(n => n.Children!) : [nodes];
        foreach (var http in httpBlocks)
        {
            var httpSettings = Collect(http);
            var httpCerts = http.Where(n => n.Name == "ssl_certificate" && n.Children is null).Select(n => n.Directive).ToList();
            foreach (var server in http.Where(n => n.Name == "server" && n.Children is not null))
                if (ReadServer(server, httpSettings, httpCerts, prefix, files) is { } endpoint) endpoints.Add(endpoint);
        }
        return new ServerDeployment { Server = ServerKind.Nginx, ConfigFile = path, Endpoints = endpoints, Problems = files.Problems };
    }

    /// <summary>
    /// nginx resolves relative paths against its configuration prefix: the main file's folder; for a file read alone, the
    /// nearest folder above it holding an nginx.conf, else conf.d's or sites-*'s parent.
    /// </summary>
    private static string PrefixOf(string path, string sourceRoot)
    {
        var dir = Path.GetDirectoryName(path)!;
        if (!Path.GetFileName(path).Equals("nginx.conf", StringComparison.OrdinalIgnoreCase)
            && ConfigFiles.NearestMainFolder(dir, sourceRoot, "nginx.conf") is { } main)
            return main;
        var name = Path.GetFileName(dir);
        return !Path.GetFileName(path).Equals("nginx.conf", StringComparison.OrdinalIgnoreCase)
               && (name.Equals("conf.d", StringComparison.OrdinalIgnoreCase) || name.StartsWith("sites-", StringComparison.OrdinalIgnoreCase))
            ? Path.GetDirectoryName(dir) ?? dir
            : dir;
    }

    /// <summary>In a container: the image's prefix when the file lies under it (the official image's /etc/nginx), else the repository layout's.</summary>
    private static string ContainerPrefix(string path, string sourceRoot, ServerContainer container) =>
        ServerLayout.Of(ServerKind.Nginx).ConfigFolderOf(container.ContainerFile)
        ?? container.ToContainer(PrefixOf(path, sourceRoot)) ?? Hosting.ContainerPaths.Combine(container.ContainerFile, "..");

    private static Dictionary<string, Directive> Collect(IEnumerable<ConfigNode> nodes)
    {
        var settings = new Dictionary<string, Directive>(StringComparer.Ordinal);
        foreach (var n in nodes.Where(n => n.Children is null)) settings[n.Name.ToLowerInvariant()] = n.Directive;
        return settings;
    }

    private static TlsEndpoint? ReadServer(ConfigNode server, Dictionary<string, Directive> http, List<Directive> httpCerts, string prefix, ConfigFiles files)
    {
        var own = Collect(server.Children!);
        var settings = new Dictionary<string, Directive>(http, StringComparer.Ordinal);
        foreach (var kv in own) settings[kv.Key] = kv.Value;
        foreach (var name in Inherited) if (!own.ContainsKey(name) && http.TryGetValue(name, out var d)) settings[name] = d;

        var listensSsl = server.Children!.Any(n => n.Name == "listen" && n.Directive.Args.Skip(1).Contains("ssl"));
        var sslOn = settings.TryGetValue("ssl", out var ssl) && ssl.IsOn;
        if (!listensSsl && !sslOn) return null;

        var certs = server.Children!.Where(n => n.Name == "ssl_certificate" && n.Children is null).Select(n => n.Directive).ToList();
        if (certs.Count == 0) certs = httpCerts;
        var issuerSources = IssuerDirectives.Select(n => settings.TryGetValue(n, out var d) ? Reference(d, prefix, files) : null).OfType<FileReference>().ToList();
        var stapleFile = settings.TryGetValue("ssl_stapling_file", out var sf) ? Reference(sf, prefix, files) : null;
        var served = certs.Select(c => Reference(c, prefix, files)).OfType<FileReference>()
            .Select(r => new EndpointCertificate { Certificate = r, IssuerSources = issuerSources, StapleFile = stapleFile }).ToList();
        if (served.Count == 0) return null;

        settings.TryGetValue("ssl_stapling", out var stapling);
        var names = own.TryGetValue("server_name", out var sn) && sn.Args.Count > 0 ? $"'{string.Join(" ", sn.Args)}'" : null;
        return new TlsEndpoint
        {
            Server = ServerKind.Nginx,
            Label = names is null ? Texts.Servers.Text("Endpoint.NginxAtLine", server.Directive.Location.Line) : Texts.Servers.Text("Endpoint.Nginx", names),
            Location = server.Directive.Location,
            Certificates = served,
            StaplingOn = stapling?.IsOn == true,
            StaplingDirective = stapling,
            Settings = settings,
        };
    }

    /// <summary>A file argument; variables (<c>$ssl_server_name</c>) and <c>data:</c> values are not files the lint can follow.</summary>
    private static FileReference? Reference(Directive d, string prefix, ConfigFiles files)
    {
        var value = d.Value;
        if (value.Length == 0 || value.Contains('$') || value.StartsWith("data:", StringComparison.Ordinal) || value.StartsWith("engine:", StringComparison.Ordinal))
            return null;
        var resolved = files.Resolve(value, prefix);
        if (resolved is not null && !File.Exists(resolved))
            files.MissingFile(value, resolved, d.ValueLocation, d.Name, "nginx");
        return new FileReference(value, d.ValueLocation, resolved is not null && File.Exists(resolved) ? resolved : null);
    }
}

using MustStaple.Localization;
namespace MustStaple.Servers.Apache;

/// <summary>
/// Reads an Apache configuration into TLS endpoints: each <c>&lt;VirtualHost&gt;</c> with <c>SSLEngine on</c>, its
/// certificate, chain and CA files, and the mod_ssl (<c>SSLUseStapling</c>, global <c>SSLStaplingCache</c>,
/// <c>SSLStapling*</c>) and mod_md (<c>&lt;MDomain&gt;</c>, <c>MDStapling</c>) settings that decide stapling
/// (docs/evidence/apache.md). Server-config directives are inherited by every virtual host.
/// </summary>
internal static class ApacheReader
{
    private static readonly string[] NameDirectives = ["servername", "serveralias"];
    private static readonly string[] IssuerDirectives = ["SSLCertificateChainFile", "SSLCACertificateFile"];

    public static ServerDeployment Read(string path, bool isMain, ConfigFiles files, HashSet<string> included)
    {
        var serverRoot = files.Container is { } container ? ConfigFiles.InContainer(ContainerServerRoot(path, isMain, files, container)) : ServerRootOf(path, isMain, files.SourceRoot);
        var nodes = ApacheParser.Parse(path, serverRoot, files, included);
        var globals = Collect(nodes);
        // mod_md: <MDomain a b> blocks and MDomain a b lines (the line form takes its settings from the server config).
        var domains = nodes.Where(n => n.Directive.Args.Count > 0 && (n.Name.Equals("MDomain", StringComparison.OrdinalIgnoreCase)
            || n.Name.Equals("ManagedDomain", StringComparison.OrdinalIgnoreCase))).ToList();
        var endpoints = new List<TlsEndpoint>();
        foreach (var vhost in nodes.Where(n => n.Children is not null && n.Name.Equals("VirtualHost", StringComparison.OrdinalIgnoreCase)))
        {
            var settings = new Dictionary<string, Directive>(globals, StringComparer.Ordinal);
            foreach (var kv in Collect(vhost.Children!)) settings[kv.Key] = kv.Value;
            if (!(settings.TryGetValue("sslengine", out var engine) && engine.IsOn)) continue;
            var names = NameDirectives.Where(settings.ContainsKey).SelectMany(k => settings[k].Args).ToList();
            var domain = domains.FirstOrDefault(d => d.Directive.Args.Any(a => names.Contains(a, StringComparer.OrdinalIgnoreCase)));
            var domainSettings = domain is null ? null : Collect(domain.Children ?? []);
            Directive? certificate = settings.TryGetValue("sslcertificatefile", out var c) ? c
                : domainSettings?.TryGetValue("mdcertificatefile", out var mc) == true ? mc : null;
            // A managed domain's virtual host without a certificate file serves what mod_md obtains (named mod_md:<domain>).
            var reference = certificate is not null ? Reference(certificate, serverRoot, files)
                : domain is not null ? new FileReference("mod_md:" + domain.Directive.Args[0], vhost.Directive.Location, null) : null;
            if (reference is null) continue;
            var issuers = IssuerDirectives.Select(n => settings.TryGetValue(n.ToLowerInvariant(), out var d) ? Reference(d, serverRoot, files) : null)
                .OfType<FileReference>().ToList();
            // mod_md staples its own domains when MDStapling is on in the <MDomain> or globally; mod_ssl when SSLUseStapling is on.
            Directive? mdStapling = domain is null ? null
                : domainSettings!.TryGetValue("mdstapling", out var ds) ? ds : globals.TryGetValue("mdstapling", out var gs) ? gs : null;
            settings.TryGetValue("sslusestapling", out var useStapling);
            var on = useStapling?.IsOn == true || mdStapling?.IsOn == true;
            endpoints.Add(new TlsEndpoint
            {
                Server = ServerKind.Apache,
                Label = names.Count > 0 ? Texts.Servers.Text("Endpoint.ApacheVirtualHost", names[0]) : Texts.Servers.Text("Endpoint.ApacheVirtualHostArgs", string.Join(" ", vhost.Directive.Args)),
                Location = vhost.Directive.Location,
                Certificates = [new EndpointCertificate { Certificate = reference, IssuerSources = issuers }],
                StaplingOn = on,
                StaplingDirective = on ? (useStapling?.IsOn == true ? useStapling : mdStapling) : useStapling ?? mdStapling,
                Settings = settings,
            });
        }
        var managed = domains.Select(d =>
        {
            var own = Collect(d.Children ?? []);
            Directive? Effective(string name) => own.TryGetValue(name, out var v) ? v : globals.TryGetValue(name, out var g) ? g : null;
            return new ManagedDomain(d.Directive.Args, d.Directive.Location, Effective("mdmuststaple"), Effective("mdcertificateauthority"));
        }).ToList();
        return new ServerDeployment
        {
            Server = ServerKind.Apache, ConfigFile = path, Endpoints = endpoints, Globals = globals, Problems = files.Problems, IsPartial = !isMain,
            ManagedDomains = managed,
        };
    }

    /// <summary>
    /// Relative paths resolve against ServerRoot. For a main file: its own folder (Debian's <c>/etc/apache2/apache2.conf</c>,
    /// wherever a repository keeps it, <c>conf/</c> included), or the parent for httpd's <c>conf/httpd.conf</c> layout. For a
    /// file read alone: the nearest folder above it holding Debian's apache2.conf, else the parent of the folder it is
    /// included from (<c>sites-enabled/</c>, <c>conf.d/</c>…).
    /// </summary>
    private static string ServerRootOf(string path, bool isMain, string sourceRoot)
    {
        var dir = Path.GetDirectoryName(path)!;
        var name = Path.GetFileName(dir);
        if (isMain)
            return Path.GetFileName(path).Equals("httpd.conf", StringComparison.OrdinalIgnoreCase) && name.Equals("conf", StringComparison.OrdinalIgnoreCase)
                ? Path.GetDirectoryName(dir) ?? dir
                : dir;
        if (ConfigFiles.NearestMainFolder(dir, sourceRoot, "apache2.conf") is { } debian) return debian;
        return name.Equals("conf", StringComparison.OrdinalIgnoreCase) || name.StartsWith("sites-", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("conf-", StringComparison.OrdinalIgnoreCase) || name.Equals("conf.d", StringComparison.OrdinalIgnoreCase)
            ? Path.GetDirectoryName(dir) ?? dir
            : dir;
    }

    /// <summary>
    /// In a container: the <c>ServerRoot</c> the main file sets (the httpd image's own httpd.conf sets
    /// <c>/usr/local/apache2</c>), else the compiled-in root of the image the file lies in (httpd: /usr/local/apache2,
    /// Debian: /etc/apache2, RHEL: /etc/httpd), else the configuration's folder as the repository lays it out.
    /// </summary>
    private static string ContainerServerRoot(string path, bool isMain, ConfigFiles files, ServerContainer container)
    {
        if (files.PeekText(path) is { } text)
        {
            foreach (var line in LineTokenizer.Lines(text).Take(10_000))
            {
                var tokens = LineTokenizer.Split(line.Trim(), 1);
                if (tokens.Count >= 2 && tokens[0].Text.Equals("ServerRoot", StringComparison.OrdinalIgnoreCase) && tokens[1].Text.Length > 0 && tokens[1].Text[0] == '/')
                    return Hosting.ContainerPaths.Combine("/", tokens[1].Text);
            }
        }
        var layout = ServerLayout.Of(ServerKind.Apache);
        if ((layout.ConfigFolderOf(container.ContainerFile) ?? layout.RootOfImage(container.Service.Image)) is { } layoutRoot) return layoutRoot;
        return container.ToContainer(ServerRootOf(path, isMain, files.SourceRoot)) ?? Hosting.ContainerPaths.Combine(container.ContainerFile, "..");
    }

    private static Dictionary<string, Directive> Collect(IEnumerable<ConfigNode> nodes)
    {
        var settings = new Dictionary<string, Directive>(StringComparer.Ordinal);
        foreach (var n in nodes.Where(n => n.Children is null)) settings[n.Name.ToLowerInvariant()] = n.Directive;
        return settings;
    }

    private static FileReference? Reference(Directive d, string serverRoot, ConfigFiles files)
    {
        var value = d.Value;
        if (value.Length == 0 || value.Contains('$')) return null; // ${VAR} is defined outside the files
        var resolved = files.Resolve(value, serverRoot);
        if (resolved is not null && !File.Exists(resolved))
            files.MissingFile(value, resolved, d.ValueLocation, d.Name, "Apache");
        return new FileReference(value, d.ValueLocation, resolved is not null && File.Exists(resolved) ? resolved : null);
    }
}

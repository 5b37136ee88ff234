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
        var serverRoot = ServerRootOf(path);
        var nodes = ApacheParser.Parse(path, serverRoot, files, included);
        var globals = Collect(nodes);
        var domains = nodes.Where(n => n.Children is not null && (n.Name.Equals("MDomain", StringComparison.OrdinalIgnoreCase)
            || n.Name.Equals("ManagedDomain", StringComparison.OrdinalIgnoreCase))).ToList();
        var endpoints = new List<TlsEndpoint>();
        foreach (var vhost in nodes.Where(n => n.Children is not null && n.Name.Equals("VirtualHost", StringComparison.OrdinalIgnoreCase)))
        {
            var settings = new Dictionary<string, Directive>(globals, StringComparer.Ordinal);
            foreach (var kv in Collect(vhost.Children!)) settings[kv.Key] = kv.Value;
            if (!(settings.TryGetValue("sslengine", out var engine) && engine.IsOn)) continue;
            var names = NameDirectives.Where(settings.ContainsKey).SelectMany(k => settings[k].Args).ToList();
            var domain = domains.FirstOrDefault(d => d.Directive.Args.Any(a => names.Contains(a, StringComparer.OrdinalIgnoreCase)));
            var domainSettings = domain is null ? null : Collect(domain.Children!);
            Directive? certificate = settings.TryGetValue("sslcertificatefile", out var c) ? c
                : domainSettings?.TryGetValue("mdcertificatefile", out var mc) == true ? mc : null;
            if (certificate is null) continue;
            var reference = Reference(certificate, serverRoot, files);
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
                Name = names.Count > 0 ? $"Apache <VirtualHost> '{names[0]}'" : $"the Apache <VirtualHost {string.Join(" ", vhost.Directive.Args)}>",
                Location = vhost.Directive.Location,
                Certificates = [new EndpointCertificate { Certificate = reference, IssuerSources = issuers }],
                StaplingOn = on,
                StaplingDirective = on ? (useStapling?.IsOn == true ? useStapling : mdStapling) : useStapling ?? mdStapling,
                Settings = settings,
            });
        }
        return new ServerDeployment
        {
            Server = ServerKind.Apache, ConfigFile = path, Endpoints = endpoints, Globals = globals, Problems = files.Problems, IsPartial = !isMain,
        };
    }

    /// <summary>Relative paths resolve against ServerRoot: the main file's folder, or its parent for httpd's <c>conf/httpd.conf</c> layout.</summary>
    private static string ServerRootOf(string path)
    {
        var dir = Path.GetDirectoryName(path)!;
        var name = Path.GetFileName(dir);
        return name.Equals("conf", StringComparison.OrdinalIgnoreCase) || name.StartsWith("sites-", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("conf-", StringComparison.OrdinalIgnoreCase) || name.Equals("conf.d", StringComparison.OrdinalIgnoreCase)
            ? Path.GetDirectoryName(dir) ?? dir
            : dir;
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
        var resolved = files.Resolve(value, serverRoot, ApacheParser.ContainerPrefixes);
        if (resolved is not null && !File.Exists(resolved))
            files.MissingFile(value, resolved, d.ValueLocation, d.Name, "Apache");
        return new FileReference(value, d.ValueLocation, resolved is not null && File.Exists(resolved) ? resolved : null);
    }
}

using MustStaple.Hosting;
using MustStaple.Localization;

namespace MustStaple.Kestrel;

/// <summary>Reads the <c>Kestrel</c> section the way ConfigurationReader and KestrelConfigurationLoader do.</summary>
internal static class KestrelConfigReader
{
    internal sealed record Model(IReadOnlyList<KestrelEndpoint> Endpoints, IReadOnlyList<CertificateSettings> Sections,
        ConfigEntry? EndpointDefaultsCertificate, IReadOnlyList<ServedCertificate> Served)
    {
        /// <summary>§2.7.4: an https address written for Certificates:Default whose Path is an empty string: no certificate, no start.</summary>
        public (CertificateSettings Settings, ConfigEntry Address)? EmptyDefault { get; init; }
    }

    public static Model Read(ConfigView view, string contentRoot, IReadOnlyList<ConfigEntry> environment, ContainerFileSystem? container = null)
    {
        var sections = new List<CertificateSettings>();
        var endpoints = new List<KestrelEndpoint>();
        var served = new List<ServedCertificate>();
        var defaultsProtocols = view.Get("Kestrel:EndpointDefaults:Protocols");
        var defaultCert = ReadCertificate(view, "Kestrel:Certificates:Default", contentRoot, LocalizedText.Plain("Certificates:Default"), sections, container);

        foreach (var name in view.Children("Kestrel:Endpoints"))
        {
            var key = $"Kestrel:Endpoints:{name}";
            var url = view.Get(key + ":Url");
            var origin = url ?? view.Locate(key)!;
            var isHttps = url?.Value?.TrimStart().StartsWith("https:", StringComparison.OrdinalIgnoreCase) == true;
            var owner = Texts.Kestrel.Text("Owner.Endpoint", name);
            var cert = ReadCertificate(view, key + ":Certificate", contentRoot, owner, sections, container);
            var sni = new List<SniEntry>();
            foreach (var host in view.Children(key + ":Sni"))
            {
                var sniKey = $"{key}:Sni:{host}";
                sni.Add(new SniEntry
                {
                    Host = host,
                    Entry = view.Locate(sniKey)!,
                    Certificate = ReadCertificate(view, sniKey + ":Certificate", contentRoot, Texts.Kestrel.Text("Owner.Sni", host, owner), sections, container),
                });
            }
            var endpoint = new KestrelEndpoint
            {
                Name = name, Origin = origin, IsHttps = isHttps, Certificate = cert, Sni = sni,
                Protocols = view.Get(key + ":Protocols") ?? defaultsProtocols,
            };
            endpoints.Add(endpoint);
            if (!isHttps) continue;

            // docs/evidence/kestrel.md#item5: a Certificate without a Path (or with an empty one) and without a Subject falls back to Certificates:Default.
            var endpointCert = cert is { HasSource: true } ? cert : defaultCert is { HasSource: true } ? defaultCert : null;
            if (sni.Count == 0)
            {
                if (endpointCert is not null)
                    served.Add(Serve(endpointCert, endpoint, endpointCert != cert ? Texts.Kestrel.Text("Owner.DefaultUsedBy", owner) : owner));
                continue;
            }
            foreach (var entry in sni)
            {
                if (entry.Certificate is { HasSource: true })
                    served.Add(Serve(entry.Certificate, endpoint, entry.Certificate.Owner));
                else if (endpointCert is not null)
                    served.Add(new ServedCertificate
                    {
                        Settings = endpointCert, Endpoint = endpoint, Cause = entry.Entry, ChainDroppedBySni = entry,
                        Via = Texts.Kestrel.Text("Owner.Sni", entry.Host, owner),
                    });
            }
        }

        if (endpoints.Count == 0 && defaultCert is { HasSource: true } && ImplicitHttps(view, environment) is var (serves, urls) && serves)
        {
            // docs/evidence/kestrel.md#item4: without Endpoints, Certificates:Default serves the https addresses of ASPNETCORE_URLS, a top-level
            // "urls" key or HTTPS_PORTS. With none of them written the addresses are set at deploy time: assume https.
            var implicitEndpoint = new KestrelEndpoint
            {
                Name = urls?.Key ?? "(default https address)", Origin = urls ?? defaultCert.Section, IsHttps = true,
                Protocols = defaultsProtocols,
            };
            endpoints.Add(implicitEndpoint);
            served.Add(Serve(defaultCert, implicitEndpoint, urls is null ? LocalizedText.Plain("Certificates:Default") : Texts.Kestrel.Text("Owner.DefaultUsedBy", urls.Key)));
        }

        var ignored = view.HasSection("Kestrel:EndpointDefaults:Certificate") ? view.Locate("Kestrel:EndpointDefaults:Certificate") : null;
        var emptyDefault = endpoints.Count == 0 && defaultCert is { HasSource: false, Path.Value: "" } && ImplicitHttps(view, environment) is (true, { } address)
            ? (defaultCert, address) : ((CertificateSettings, ConfigEntry)?)null;
        return new Model(endpoints, sections, ignored, served) { EmptyDefault = emptyDefault };
    }

    // URLS wins over HTTP_PORTS/HTTPS_PORTS; http-only addresses bind no TLS port, so Certificates:Default is never served.
    internal static (bool Serves, ConfigEntry? Urls) ImplicitHttps(ConfigView view, IReadOnlyList<ConfigEntry> environment)
    {
        var urls = view.Get("URLS") is { IsSection: false } u ? u : environment.LastOrDefault(e => e.Key.Equals("DOTNET_URLS", StringComparison.OrdinalIgnoreCase));
        if (urls?.Value is { Length: > 0 } list)
            return (list.Split([';'], StringSplitOptions.RemoveEmptyEntries).Any(x => x.Trim().StartsWith("https:", StringComparison.OrdinalIgnoreCase)), urls);
        var https = view.Get("HTTPS_PORTS") ?? environment.LastOrDefault(e => e.Key.Equals("DOTNET_HTTPS_PORTS", StringComparison.OrdinalIgnoreCase));
        if (https?.Value is { Length: > 0 }) return (true, https);
        var http = view.Get("HTTP_PORTS") ?? environment.LastOrDefault(e => e.Key.Equals("DOTNET_HTTP_PORTS", StringComparison.OrdinalIgnoreCase));
        return http?.Value is { Length: > 0 } ? (false, http) : (true, null);
    }

    private static ServedCertificate Serve(CertificateSettings settings, KestrelEndpoint endpoint, LocalizedText via) => new()
    {
        Settings = settings, Endpoint = endpoint, Cause = settings.Path ?? settings.Subject ?? settings.Section, Via = via,
    };

    /// <summary>A certificate Path or KeyPath as Kestrel resolves it: absolute as is, else relative to the content root.</summary>
    public static string ResolvePath(string value, string contentRoot) =>
        TryResolvePath(value, contentRoot) ?? Path.Combine(contentRoot, "<invalid path>");

    /// <summary>The absolute path of <paramref name="value"/>, or null when no file can have that name (a NUL, a control character).</summary>
    public static string? TryResolvePath(string value, string contentRoot)
    {
        if (Discovery.InputFile.HasInvalidCharacters(value)) return null;
        try
        {
            return Path.GetFullPath(Path.IsPathRooted(value) ? value : Path.Combine(contentRoot, value.Replace('\\', Path.DirectorySeparatorChar)));
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return null;
        }
    }

    private static CertificateSettings? ReadCertificate(ConfigView view, string key, string contentRoot, LocalizedText owner,
        List<CertificateSettings> sections, ContainerFileSystem? container)
    {
        if (!view.HasSection(key)) return null;
        var path = view.Get(key + ":Path");
        var keyPath = view.Get(key + ":KeyPath");
        var (resolved, provision, notProvided) = Resolve(path?.Value, contentRoot, container);
        var settings = new CertificateSettings
        {
            Key = key, Section = view.Locate(key)!, Owner = owner, ResolvedPath = resolved, PathProvision = provision, PathNotProvided = notProvided,
            ResolvedKeyPath = Resolve(keyPath?.Value, contentRoot, container).File,
            Path = path, KeyPath = keyPath, Password = view.Get(key + ":Password"),
            Subject = view.Get(key + ":Subject"), Store = view.Get(key + ":Store"), Location = view.Get(key + ":Location"),
        };
        sections.Add(settings);
        return settings;
    }

    // In a container an absolute path is a container path: the repository file a COPY, volume, secret or config puts
    // there, else nothing in the repository (never the host file of the same name). Relative paths stay relative to
    // the content root, which publish copies into the image.
    private static (string? File, Provision? Provision, bool NotProvided) Resolve(string? value, string contentRoot, ContainerFileSystem? container)
    {
        if (value is not { Length: > 0 } || Discovery.InputFile.HasInvalidCharacters(value)) return (null, null, false); // MST0003 says why
        var rooted = (value.Length > 0 && value[0] == '/');
        if (container is null || !rooted) return (TryResolvePath(value, contentRoot), null, false);
        return container.Find(value) is { } p ? (p.HostPath, p, false) : (null, null, true);
    }
}

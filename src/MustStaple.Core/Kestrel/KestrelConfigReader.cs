namespace MustStaple.Kestrel;

/// <summary>Reads the <c>Kestrel</c> section the way ConfigurationReader and KestrelConfigurationLoader do.</summary>
internal static class KestrelConfigReader
{
    internal sealed record Model(IReadOnlyList<KestrelEndpoint> Endpoints, IReadOnlyList<CertificateSettings> Sections,
        ConfigEntry? EndpointDefaultsCertificate, IReadOnlyList<ServedCertificate> Served);

    public static Model Read(ConfigView view, string contentRoot, IReadOnlyList<ConfigEntry> environment)
    {
        var sections = new List<CertificateSettings>();
        var endpoints = new List<KestrelEndpoint>();
        var served = new List<ServedCertificate>();
        var defaultsProtocols = view.Get("Kestrel:EndpointDefaults:Protocols");
        var defaultCert = ReadCertificate(view, "Kestrel:Certificates:Default", contentRoot, "Certificates:Default", sections);

        foreach (var name in view.Children("Kestrel:Endpoints"))
        {
            var key = $"Kestrel:Endpoints:{name}";
            var url = view.Get(key + ":Url");
            var origin = url ?? view.Locate(key)!;
            var isHttps = url?.Value?.TrimStart().StartsWith("https:", StringComparison.OrdinalIgnoreCase) == true;
            var owner = $"endpoint '{name}'";
            var cert = ReadCertificate(view, key + ":Certificate", contentRoot, owner, sections);
            var sni = new List<SniEntry>();
            foreach (var host in view.Children(key + ":Sni"))
            {
                var sniKey = $"{key}:Sni:{host}";
                sni.Add(new SniEntry
                {
                    Host = host,
                    Entry = view.Locate(sniKey)!,
                    Certificate = ReadCertificate(view, sniKey + ":Certificate", contentRoot, $"Sni entry '{host}' of {owner}", sections),
                });
            }
            var endpoint = new KestrelEndpoint
            {
                Name = name, Origin = origin, IsHttps = isHttps, Certificate = cert, Sni = sni,
                Protocols = view.Get(key + ":Protocols") ?? defaultsProtocols,
            };
            endpoints.Add(endpoint);
            if (!isHttps) continue;

            var endpointCert = cert ?? defaultCert;
            if (sni.Count == 0)
            {
                if (endpointCert is not null)
                    served.Add(Serve(endpointCert, endpoint, cert is null ? $"Certificates:Default (used by {owner})" : owner));
                continue;
            }
            foreach (var entry in sni)
            {
                if (entry.Certificate is not null)
                    served.Add(Serve(entry.Certificate, endpoint, entry.Certificate.Owner));
                else if (endpointCert is not null)
                    served.Add(new ServedCertificate
                    {
                        Settings = endpointCert, Endpoint = endpoint, Cause = entry.Entry, ChainDroppedBySni = entry,
                        Via = $"Sni entry '{entry.Host}' of {owner}",
                    });
            }
        }

        if (endpoints.Count == 0 && defaultCert is not null)
        {
            // No configured endpoints: Certificates:Default serves https addresses from ASPNETCORE_URLS, HTTPS_PORTS,
            // --urls or a launch profile, which may be set only at deploy time.
            var urls = view.Get("URLS") ?? view.Get("HTTPS_PORTS") ?? environment.LastOrDefault(e => e.Key is "URLS" or "HTTPS_PORTS" or "DOTNET_URLS" or "DOTNET_HTTPS_PORTS");
            var implicitEndpoint = new KestrelEndpoint
            {
                Name = urls?.Key ?? "(default https address)", Origin = urls ?? defaultCert.Section, IsHttps = true,
                Protocols = defaultsProtocols,
            };
            endpoints.Add(implicitEndpoint);
            served.Add(Serve(defaultCert, implicitEndpoint, urls is null ? "Certificates:Default" : $"Certificates:Default (used by {urls.Key})"));
        }

        var ignored = view.HasSection("Kestrel:EndpointDefaults:Certificate") ? view.Locate("Kestrel:EndpointDefaults:Certificate") : null;
        return new Model(endpoints, sections, ignored, served);
    }

    private static ServedCertificate Serve(CertificateSettings settings, KestrelEndpoint endpoint, string via) => new()
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

    private static CertificateSettings? ReadCertificate(ConfigView view, string key, string contentRoot, string owner, List<CertificateSettings> sections)
    {
        if (!view.HasSection(key)) return null;
        var path = view.Get(key + ":Path");
        var resolved = path?.Value is { Length: > 0 } p ? TryResolvePath(p, contentRoot) : null;
        var settings = new CertificateSettings
        {
            Key = key, Section = view.Locate(key)!, Owner = owner, ResolvedPath = resolved,
            Path = path, KeyPath = view.Get(key + ":KeyPath"), Password = view.Get(key + ":Password"),
            Subject = view.Get(key + ":Subject"), Store = view.Get(key + ":Store"),
        };
        sections.Add(settings);
        return settings;
    }
}

namespace MustStaple.Servers;

/// <summary>
/// Files a configuration includes that the server's package or image, or an ACME client, installs: a repository
/// rarely carries them, and their absence is no error. Each is known by what it holds that the lint reads (TLS and
/// stapling directives); the rest of its content (MIME types, FastCGI parameters) is left out.
/// </summary>
internal static class ProvidedFiles
{
    // Debian/Ubuntu's nginx-common and the official nginx image (/etc/nginx/…): none holds a TLS directive but snakeoil.
    private static readonly Dictionary<string, string> Nginx = new(StringComparer.Ordinal)
    {
        ["mime.types"] = "", ["fastcgi_params"] = "", ["fastcgi.conf"] = "", ["proxy_params"] = "", ["scgi_params"] = "",
        ["uwsgi_params"] = "", ["koi-utf"] = "", ["koi-win"] = "", ["win-utf"] = "",
        ["snippets/fastcgi-php.conf"] = "",
        ["snippets/snakeoil.conf"] = "ssl_certificate /etc/ssl/certs/ssl-cert-snakeoil.pem;\nssl_certificate_key /etc/ssl/private/ssl-cert-snakeoil.key;\n",
        // certbot's nginx plugin (certbot/_internal/plugins/nginx/tls_configs/options-ssl-nginx.conf): no stapling directive.
        ["options-ssl-nginx.conf"] =
            "ssl_session_cache shared:le_nginx_SSL:10m;\nssl_session_timeout 1440m;\nssl_session_tickets off;\nssl_protocols TLSv1.2 TLSv1.3;\nssl_prefer_server_ciphers off;\n",
    };

    // Debian/Ubuntu's apache2 (/etc/apache2/…) and certbot's Apache plugin.
    private static readonly Dictionary<string, string> Apache = new(StringComparer.Ordinal)
    {
        ["ports.conf"] = "Listen 80\n<IfModule ssl_module>\nListen 443\n</IfModule>\n",
        ["envvars"] = "", ["magic"] = "",
        // certbot/_internal/plugins/apache/tls_configs/current-options-ssl-apache.conf: it turns SSLEngine on.
        ["options-ssl-apache.conf"] =
            "SSLEngine on\nSSLProtocol all -SSLv2 -SSLv3 -TLSv1 -TLSv1.1\nSSLHonorCipherOrder off\nSSLSessionTickets off\nSSLOptions +StrictRequire\n",
    };

    /// <summary>
    /// What the installed file <paramref name="pattern"/> holds, or null when it is not one the package, image or ACME
    /// client provides. Known by its tail, wherever the installation put it: <c>mime.types</c>, <c>conf/mime.types</c>,
    /// <c>/usr/local/nginx/mime.types</c>, <c>/etc/letsencrypt/options-ssl-nginx.conf</c> (certbot's --config-dir moves it).
    /// </summary>
    public static string? Find(ServerKind server, string pattern)
    {
        var table = server switch { ServerKind.Nginx => Nginx, ServerKind.Apache => Apache, _ => null };
        if (table is null) return null;
        var path = pattern.Replace('\\', '/');
        foreach (var known in table)
            if (path == known.Key || path.EndsWith("/" + known.Key, StringComparison.Ordinal)) return known.Value;
        return null;
    }
}

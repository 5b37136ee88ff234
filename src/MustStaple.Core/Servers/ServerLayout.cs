namespace MustStaple.Servers;

/// <summary>
/// A server's documented default layout: the images that run it and the folders its package or image reads its
/// configuration from (issue 19). Only the fallback of the model: a configuration a container holds resolves every
/// path through the hosting layer's mapped files (<see cref="ServerContainer"/>, <see cref="ConfigFiles.Resolve(string, string)"/>).
/// Where no container file maps it (no compose file, Dockerfile or manifest places it, or the image is unknown), an
/// absolute path under one of <see cref="ConfigFolders"/> is taken relative to the configuration's folder in the
/// repository, as a copy of that folder is what the server would read there.
/// </summary>
internal sealed class ServerLayout
{
    private ServerLayout(IReadOnlyList<string> images, IReadOnlyList<string> configFolders, string? imageRoot = null)
    {
        Images = images;
        ConfigFolders = configFolders;
        ImageRoot = imageRoot;
    }

    /// <summary>The root the official image's binary is built with (httpd's compiled-in ServerRoot), when it has one.</summary>
    public string? ImageRoot { get; }

    /// <summary>Image names (any part of the reference) that run the server: a container whose image matches runs it.</summary>
    public IReadOnlyList<string> Images { get; }

    /// <summary>Where the server's package or official image keeps its configuration, each ending in '/'.</summary>
    public IReadOnlyList<string> ConfigFolders { get; }

    /// <summary>No server's layout (no fallback: every absolute path outside the repository stays unresolved).</summary>
    public static readonly ServerLayout None = new([], []);

    // nginx: the official image and Debian (/etc/nginx), a source build (/usr/local/nginx/conf), FreeBSD and Homebrew (/usr/local/etc/nginx).
    private static readonly ServerLayout Nginx = new(["nginx", "openresty"], ["/etc/nginx/", "/usr/local/nginx/conf/", "/usr/local/etc/nginx/"]);

    // Apache: Debian (/etc/apache2), RHEL (/etc/httpd), the httpd image's compiled-in ServerRoot (/usr/local/apache2).
    private static readonly ServerLayout Apache = new(["httpd", "apache"], ["/etc/apache2/", "/etc/httpd/", "/usr/local/apache2/"], "/usr/local/apache2");

    // HAProxy: the official image (/usr/local/etc/haproxy) and Debian's package (/etc/haproxy).
    private static readonly ServerLayout HAProxy = new(["haproxy"], ["/usr/local/etc/haproxy/", "/etc/haproxy/"]);

    // Caddy: the official image's Caddyfile folder (/etc/caddy) and its XDG config folder (/config/caddy).
    private static readonly ServerLayout Caddy = new(["caddy"], ["/etc/caddy/", "/config/caddy/"]);

    /// <summary>The layout of <paramref name="server"/>; Kestrel's paths resolve through its own reader (content root, container files).</summary>
    public static ServerLayout Of(ServerKind server) => server switch
    {
        ServerKind.Nginx => Nginx,
        ServerKind.Apache => Apache,
        ServerKind.HAProxy => HAProxy,
        ServerKind.Caddy => Caddy,
        _ => None,
    };

    /// <summary>The official image's compiled-in root when <paramref name="image"/> is that image (httpd), else null.</summary>
    public string? RootOfImage(string? image) =>
        ImageRoot is not null && image?.IndexOf(Images[0], StringComparison.OrdinalIgnoreCase) is >= 0 ? ImageRoot : null;

    /// <summary>True when <paramref name="image"/> runs the server.</summary>
    public bool RunsIn(string? image) => image is not null && Images.Any(i => image.IndexOf(i, StringComparison.OrdinalIgnoreCase) is >= 0);

    /// <summary>The documented folder <paramref name="path"/> lies in (without its trailing '/'), or null.</summary>
    public string? ConfigFolderOf(string path) =>
        ConfigFolders.FirstOrDefault(f => path.StartsWith(f, StringComparison.Ordinal))?.TrimEnd('/');
}

namespace MustStaple.Discovery;

/// <summary>What a discovered file is read as.</summary>
public enum AssetKind
{
    /// <summary>PEM, DER, PKCS#12, PKCS#10 or OpenSSL config.</summary>
    Certificate,

    /// <summary><c>appsettings.json</c> or <c>appsettings.{Environment}.json</c>.</summary>
    AppSettings,

    /// <summary>A Dockerfile.</summary>
    Dockerfile,

    /// <summary>A Docker Compose file.</summary>
    Compose,

    /// <summary>An MSBuild project file.</summary>
    Project,

    /// <summary>A publish profile.</summary>
    PublishProfile,

    /// <summary><c>.editorconfig</c> or <c>.globalconfig</c>.</summary>
    AnalyzerConfig,

    /// <summary>nginx configuration: <c>nginx.conf</c>, <c>*.conf</c> under <c>nginx/</c>, <c>conf.d/</c> or <c>sites-*/</c>.</summary>
    NginxConfig,

    /// <summary>HAProxy configuration: <c>haproxy.cfg</c>, <c>*.cfg</c> under <c>haproxy/</c>.</summary>
    HAProxyConfig,

    /// <summary>Apache configuration: <c>apache2.conf</c>, <c>httpd.conf</c>, <c>*.conf</c> under <c>apache2/</c> or <c>httpd/</c>.</summary>
    ApacheConfig,

    /// <summary>Caddy configuration: <c>Caddyfile</c> or <c>caddy.json</c>.</summary>
    CaddyConfig,

    /// <summary>
    /// Any other <c>*.conf</c> or <c>*.cfg</c> file, or an extension-less file in a <c>sites-*</c> folder: read only to
    /// tell whether a server (nginx, Apache, HAProxy, Caddy) reads it, by its content.
    /// </summary>
    ServerConfig,

    /// <summary>A C# file: read only when a PFX stays locked, for the passwords written in code (<c>CodePasswords</c>).</summary>
    CSharpSource,

    /// <summary>Any other YAML file: read only if it is a Kubernetes workload manifest.</summary>
    Manifest,

    /// <summary>A script or unit that may run an ACME client: <c>*.sh *.bash *.ps1 *.cmd *.bat *.service</c>, Makefile, Jenkinsfile.</summary>
    Script,

    /// <summary>An ACME client's own file: certbot <c>cli.ini</c> and <c>renewal/*.conf</c>, acme.sh's <c>&lt;domain&gt;/&lt;domain&gt;.conf</c>.</summary>
    AcmeConfig,

    /// <summary>
    /// A file that may be a script although its name does not say so: no extension, or an extension the lint does not know
    /// in a folder where deploy scripts live (<c>certbot/attestation.app</c>). Read only when its first bytes are text.
    /// </summary>
    ScriptCandidate,
}

/// <summary>Classifies file names; the default set of inputs.</summary>
public static class AssetClassifier
{
    private static readonly HashSet<string> CertificateExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".pem", ".crt", ".cer", ".der", ".pfx", ".p12", ".csr", ".req", ".cnf",
    };

    // Folders where infrastructure repositories keep ACME commands in files named after the certificate.
    private static readonly HashSet<string> ScriptFolders = new(StringComparer.OrdinalIgnoreCase)
    {
        "certbot", "letsencrypt", "lego", "acme", "acme.sh", "dehydrated", "scripts", "script", "bin", "sbin", "deploy", "ops", "cron", "cron.d",
        "cron.daily", "cron.weekly", "hooks", "tools",
    };

    // Extensions that are never an ACME command, even in a scripts folder (documents, sources, data, binaries).
    private static readonly HashSet<string> KnownOtherExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".md", ".txt", ".rst", ".adoc", ".html", ".htm", ".css", ".js", ".mjs", ".ts", ".json", ".xml", ".go", ".py", ".rb", ".pl", ".java",
        ".c", ".h", ".cc", ".cpp", ".rs", ".cs", ".fs", ".vb", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico", ".zip", ".gz", ".tgz", ".xz",
        ".bz2", ".tar", ".pdf", ".lock", ".toml", ".ini", ".key", ".so", ".dll", ".exe", ".bin", ".woff", ".woff2", ".ttf", ".jar", ".class",
        ".pyc", ".log", ".csv", ".sql", ".db", ".sqlite", ".patch", ".diff",
    };

    private static readonly HashSet<string> ScriptExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".sh", ".bash", ".zsh", ".ksh", ".ps1", ".psm1", ".cmd", ".bat", ".service", ".mk", ".groovy",
    };

    /// <summary>The kind of a file by its name, or null when the lint ignores it.</summary>
    public static AssetKind? Classify(string fileName)
    {
        var ext = Path.GetExtension(fileName);
        if (ScriptExtensions.Contains(ext) || fileName.Equals("Makefile", StringComparison.Ordinal) || fileName.Equals("Jenkinsfile", StringComparison.Ordinal)
            || fileName.Equals("cli.ini", StringComparison.OrdinalIgnoreCase)) return fileName.Equals("cli.ini", StringComparison.OrdinalIgnoreCase) ? AssetKind.AcmeConfig : AssetKind.Script;
        if (CertificateExtensions.Contains(ext)) return AssetKind.Certificate;
        if (ext.Equals(".json", StringComparison.OrdinalIgnoreCase)
            && fileName.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase)) return AssetKind.AppSettings;
        if (fileName.Equals("Dockerfile", StringComparison.OrdinalIgnoreCase)
            || fileName.StartsWith("Dockerfile.", StringComparison.OrdinalIgnoreCase)
            || ext.Equals(".dockerfile", StringComparison.OrdinalIgnoreCase)) return AssetKind.Dockerfile;
        if ((ext.Equals(".yml", StringComparison.OrdinalIgnoreCase) || ext.Equals(".yaml", StringComparison.OrdinalIgnoreCase))
            && (fileName.StartsWith("docker-compose", StringComparison.OrdinalIgnoreCase)
                || fileName.StartsWith("compose", StringComparison.OrdinalIgnoreCase))) return AssetKind.Compose;
        if (ext.Equals(".yml", StringComparison.OrdinalIgnoreCase) || ext.Equals(".yaml", StringComparison.OrdinalIgnoreCase)) return AssetKind.Manifest;
        if (ext.Equals(".csproj", StringComparison.OrdinalIgnoreCase) || ext.Equals(".fsproj", StringComparison.OrdinalIgnoreCase)
            || ext.Equals(".vbproj", StringComparison.OrdinalIgnoreCase)) return AssetKind.Project;
        if (ext.Equals(".pubxml", StringComparison.OrdinalIgnoreCase)) return AssetKind.PublishProfile;
        if (ext.Equals(".cs", StringComparison.OrdinalIgnoreCase)) return AssetKind.CSharpSource;
        if (fileName.Equals(".editorconfig", StringComparison.OrdinalIgnoreCase)
            || fileName.Equals(".globalconfig", StringComparison.OrdinalIgnoreCase)) return AssetKind.AnalyzerConfig;
        return null;
    }

    /// <summary>
    /// The kind of a file by its name and the folders above it. For server configurations this is only a first guess
    /// (a <c>*.conf</c> under <c>nginx/</c>, <c>conf.d/</c> or <c>sites-*/</c> is probably nginx's): the server readers
    /// ask each file's content (<c>ConfigRecognizer</c>), and any other <c>*.conf</c>/<c>*.cfg</c> is a <see cref="AssetKind.ServerConfig"/>.
    /// </summary>
    public static AssetKind? Classify(string fileName, string? folder)
    {
        if (Classify(fileName) is { } kind) return kind;
        var ext = Path.GetExtension(fileName);
        if (folder is not null && ext.Equals(".conf", StringComparison.OrdinalIgnoreCase)
            && Acme.AcmeConfigReader.KindOf(Path.Combine(folder, fileName)) is "renewal" or "acme.sh") return AssetKind.AcmeConfig;
        if (fileName.Equals("nginx.conf", StringComparison.OrdinalIgnoreCase)) return AssetKind.NginxConfig;
        if (fileName.Equals("haproxy.cfg", StringComparison.OrdinalIgnoreCase)) return AssetKind.HAProxyConfig;
        if (fileName.Equals("apache2.conf", StringComparison.OrdinalIgnoreCase) || fileName.Equals("httpd.conf", StringComparison.OrdinalIgnoreCase))
            return AssetKind.ApacheConfig;
        if (fileName.Equals("Caddyfile", StringComparison.OrdinalIgnoreCase) || fileName.Equals("caddy.json", StringComparison.OrdinalIgnoreCase)
            || (fileName.StartsWith("Caddyfile.", StringComparison.OrdinalIgnoreCase) && !ext.Equals(".json", StringComparison.OrdinalIgnoreCase)))
            return AssetKind.CaddyConfig;
        if (folder is null) return null;
        var isConf = ext.Equals(".conf", StringComparison.OrdinalIgnoreCase);
        var isCfg = ext.Equals(".cfg", StringComparison.OrdinalIgnoreCase);
        var parents = Parents(folder);
        // Debian's sites-available/default and friends have no extension; the content tells whose they are.
        if (ext.Length == 0 && parents.Take(1).Any(p => p.StartsWith("sites-", StringComparison.OrdinalIgnoreCase))) return AssetKind.ServerConfig;
        if (!isConf && !isCfg) return IsScriptCandidate(fileName, ext, folder) ? AssetKind.ScriptCandidate : null;
        // The folder suggests a server (a hint the content may overrule); elsewhere the content alone decides.
        if (isCfg) return parents.Any(p => p.Equals("haproxy", StringComparison.OrdinalIgnoreCase)) ? AssetKind.HAProxyConfig : AssetKind.ServerConfig;
        if (parents.Any(p => p.Equals("apache2", StringComparison.OrdinalIgnoreCase) || p.Equals("httpd", StringComparison.OrdinalIgnoreCase)
            || p.Equals("apache", StringComparison.OrdinalIgnoreCase))) return AssetKind.ApacheConfig;
        if (parents.Any(p => p.Equals("nginx", StringComparison.OrdinalIgnoreCase))
            || parents.Take(1).Any(p => p.Equals("conf.d", StringComparison.OrdinalIgnoreCase) || p.StartsWith("sites-", StringComparison.OrdinalIgnoreCase)))
            return AssetKind.NginxConfig;
        return AssetKind.ServerConfig;
    }

    private static readonly string[] DocumentNames = ["README", "LICENSE", "LICENCE", "CHANGELOG", "CHANGES", "COPYING", "NOTICE", "AUTHORS", "HISTORY", "CONTRIBUTING"];

    private static bool IsScriptCandidate(string fileName, string ext, string folder) =>
        !DocumentNames.Any(d => fileName.StartsWith(d, StringComparison.OrdinalIgnoreCase))
        && (ext.Length == 0 || (!KnownOtherExtensions.Contains(ext) && Parents(folder).Any(ScriptFolders.Contains)));

    // The names of the three folders nearest the file: deep enough for nginx/conf.d/x.conf, shallow enough not to
    // claim a whole tree because some far ancestor is called nginx.
    private static IEnumerable<string> Parents(string folder)
    {
        var d = folder;
        for (var i = 0; i < 3 && !string.IsNullOrEmpty(d); i++)
        {
            yield return Path.GetFileName(d);
            d = Path.GetDirectoryName(d);
        }
    }
}

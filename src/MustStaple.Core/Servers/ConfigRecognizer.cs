using System.Text.RegularExpressions;

namespace MustStaple.Servers;

/// <summary>What a configuration file is, told from its content: which server reads it, and whether it is that server's main file.</summary>
internal readonly record struct Recognized(ServerKind Server, bool IsMain);

/// <summary>
/// Tells which server a configuration file belongs to by what it says: section tags and directive names for Apache,
/// blocks and ';'-terminated directives for nginx, section keywords for HAProxy, site blocks for a Caddyfile. Where the
/// file lies (its name, its folders) only breaks a tie or speaks for a file that says nothing either way.
/// </summary>
internal static class ConfigRecognizer
{
    /// <summary>Lines read to decide: a configuration says what it is long before this.</summary>
    public const int MaxLines = 4000;

    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.IgnoreCase;
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(200);

    private static readonly Regex ApacheSection = new(@"^</?(VirtualHost|IfModule|IfDefine|IfVersion|Directory|DirectoryMatch|Location|LocationMatch|Files|FilesMatch|Proxy|MDomain|Macro)\b", Options, Timeout);
    private static readonly Regex ApacheMain = new(@"^(ServerRoot|LoadModule)\s", Options, Timeout);
    private static readonly Regex ApacheDirective = new(@"^(Include|IncludeOptional|DocumentRoot|SSLEngine|SSLCertificateFile|SSLCertificateKeyFile|SSLUseStapling|SSLStaplingCache|ServerName|ServerAlias|ServerAdmin|ErrorLog|CustomLog|RewriteEngine|RewriteRule|ProxyPass|ProxyPassReverse|AllowOverride|Require|Options|Mutex|PidFile|User|Group|KeepAlive|Timeout)\s+[^;{]*$", RegexOptions.CultureInvariant, Timeout);
    private static readonly Regex NginxTopBlock = new(@"^(http|events|stream|mail)\s*\{", RegexOptions.CultureInvariant, Timeout);
    private static readonly Regex NginxServer = new(@"^server\s*\{", RegexOptions.CultureInvariant, Timeout);
    // Blocks other languages have too (nftables' `map x {`): they count, but never decide alone.
    private static readonly Regex NginxBlock = new(@"^(location\s.*|upstream\s+\S+|map\s.*|types|geo\s.*|limit_except\s.*|if\s*\(.*\))\s*\{", RegexOptions.CultureInvariant, Timeout);
    private static readonly Regex NginxDirective = new(@"^[a-z_][a-z0-9_]*(\s.*)?;\s*(#.*)?$", RegexOptions.CultureInvariant, Timeout);
    private static readonly Regex NginxMain = new(@"^(worker_processes|worker_rlimit_nofile|pid|load_module|user)\s[^;]*;", RegexOptions.CultureInvariant, Timeout);
    private static readonly Regex HAProxySection = new(@"^(global|defaults(\s+\S+)?|frontend\s+\S+|backend\s+\S+|listen\s+[A-Za-z_][^\s:]*(\s+\S+)?|peers\s+\S+|resolvers\s+\S+|userlist\s+\S+)\s*(#.*)?$", RegexOptions.CultureInvariant, Timeout);
    private static readonly Regex HAProxyKeyword = new(@"^(bind|mode|balance|option|timeout|default_backend|use_backend|http-request|http-response|maxconn|log|server|acl|stats)\s+[^;{]*$", RegexOptions.CultureInvariant, Timeout);
    private static readonly Regex CaddySite = new(@"^((https?://)?(\*\.)?[A-Za-z0-9.-]*[.:][A-Za-z0-9.:{}$*-]*|localhost|\{\$[A-Z_]+[^}]*\})(\s*,\s*\S+)*\s*\{$", RegexOptions.CultureInvariant, Timeout);
    private static readonly Regex CaddyDirective = new(@"^(reverse_proxy|file_server|php_fastcgi|encode|tls|root\s+\*|respond|handle|handle_path|route|redir|import|header|log|basicauth|basic_auth)(\s+[^;]*)?(\{)?$", RegexOptions.CultureInvariant, Timeout);

    /// <summary>
    /// The server <paramref name="text"/> is written for, or null when it is none of theirs. <paramref name="hint"/> is what
    /// the file's name and folders suggest: it decides a tie and a file that shows no server's mark.
    /// </summary>
    public static Recognized? Recognize(string text, ServerKind? hint, bool namedAsMain)
    {
        int apache = 0, nginx = 0, haproxy = 0, caddy = 0;
        bool apacheStrong = false, nginxStrong = false, haproxyStrong = false, caddyStrong = false, apacheMain = false, nginxMain = false;
        var lines = 0;
        foreach (var raw in LineTokenizer.Lines(text))
        {
            if (++lines > MaxLines) break;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            try
            {
                if (ApacheSection.IsMatch(line)) { apache += 3; apacheStrong = true; }
                else if (ApacheMain.IsMatch(line)) { apache += 3; apacheStrong = apacheMain = true; }
                else if (ApacheDirective.IsMatch(line)) apache++;
                if (NginxTopBlock.IsMatch(line)) { nginx += 3; nginxStrong = nginxMain = true; }
                else if (NginxServer.IsMatch(line)) { nginx += 3; nginxStrong = true; }
                else if (NginxBlock.IsMatch(line)) nginx += 2;
                else if (NginxMain.IsMatch(line)) { nginx += 2; nginxStrong = nginxMain = true; }
                else if (NginxDirective.IsMatch(line)) nginx++;
                if (HAProxySection.IsMatch(line)) { haproxy += 3; haproxyStrong = true; }
                else if (HAProxyKeyword.IsMatch(line)) haproxy++;
                if (CaddySite.IsMatch(line)) { caddy += 3; caddyStrong = true; }
                else if (CaddyDirective.IsMatch(line)) caddy++;
            }
            catch (RegexMatchTimeoutException)
            {
                // a hostile line decides nothing
            }
        }
        // nginx's "server {" opens Caddy-looking blocks too; a Caddyfile never ends a line with ';'.
        var scores = new List<(ServerKind Server, int Score, bool Strong)>
        {
            (ServerKind.Apache, apache, apacheStrong), (ServerKind.Nginx, nginx, nginxStrong),
            (ServerKind.HAProxy, haproxy, haproxyStrong), (ServerKind.Caddy, caddy, caddyStrong && nginx == 0),
        };
        var strong = scores.Where(s => s.Strong).OrderByDescending(s => s.Score).ToList();
        ServerKind? server;
        if (strong.Count == 0) server = hint; // says nothing either way: where it lies speaks for it
        else if (hint is { } h && strong.Any(s => s.Server == h && s.Score == strong[0].Score)) server = h; // a tie: the folder breaks it
        else server = strong[0].Server;
        if (server is not { } kind) return null;
        var isMain = kind switch
        {
            ServerKind.Apache => apacheMain || (namedAsMain && hint == ServerKind.Apache),
            ServerKind.Nginx => nginxMain || (namedAsMain && hint == ServerKind.Nginx),
            _ => true,
        };
        return new Recognized(kind, isMain);
    }
}

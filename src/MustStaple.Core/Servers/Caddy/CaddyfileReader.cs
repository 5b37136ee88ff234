using MustStaple.Discovery;
using MustStaple.Localization;

namespace MustStaple.Servers.Caddy;

/// <summary>
/// Reads a Caddyfile into TLS endpoints: each site block with a <c>tls &lt;cert&gt; &lt;key&gt;</c> directive (an
/// unmanaged certificate, which Caddy staples by default), and the global <c>ocsp_stapling</c> option that switches it
/// off (docs/evidence/caddy.md). Managed certificates (ACME, <c>tls internal</c>) are not in the repository.
/// </summary>
internal static class CaddyfileReader
{
    public static ServerDeployment Read(string path, ConfigFiles files)
    {
        var baseDir = Path.GetDirectoryName(path)!;
        var text = files.ReadText(path, null);
        var endpoints = new List<(Token Address, Directive Tls)>();
        var globals = new Dictionary<string, Directive>(StringComparer.Ordinal);
        if (text is not null)
        {
            var lines = LineTokenizer.Lines(text);
            var depth = 0;
            Token? site = null;
            var sawSite = false;
            for (var n = 0; n < lines.Length; n++)
            {
                var tokens = LineTokenizer.Split(lines[n], n + 1);
                if (tokens.Count == 0) continue;
                files.Charge(WorkKind.Nodes);
                var opens = tokens[^1].Text == "{" && !tokens[^1].Quoted;
                var words = opens ? tokens.Take(tokens.Count - 1).ToList() : tokens;
                if (tokens.Count == 1 && tokens[0].Text == "}" && !tokens[0].Quoted)
                {
                    depth = Math.Max(0, depth - 1);
                    if (depth == 0) site = null;
                    continue;
                }
                if (depth == 0 && words.Count == 0 && opens && !sawSite)
                {
                    site = null; // the global options block: the first block, without an address
                    depth = 1;
                    globals["__global"] = Token.ToDirective(path, tokens[0], []);
                    continue;
                }
                if (depth == 0 && words.Count > 0 && (opens || !sawSite) && !IsDirectiveOutsideBlock(words[0].Text, sawSite, opens))
                {
                    // Site addresses; a single site may omit its braces, then the following lines are its directives.
                    site = words[0];
                    sawSite = true;
                    depth = opens ? 1 : 0;
                    continue;
                }
                var inGlobal = depth >= 1 && site is null;
                if (inGlobal && depth == 1 && words.Count > 0)
                    globals[words[0].Text.ToLowerInvariant()] = Token.ToDirective(path, words[0], words.Skip(1).ToList());
                else if (site is not null && words.Count >= 3 && words[0].Text == "tls")
                    endpoints.Add((site.Value, Token.ToDirective(path, words[0], words.Skip(1).ToList())));
                if (opens) files.Depth(++depth); // iterative, yet bounded: a million nested blocks are one MST0001
            }
        }
        globals.Remove("__global");
        globals.TryGetValue("ocsp_stapling", out var stapling);
        var result = new List<TlsEndpoint>();
        foreach (var (address, tls) in endpoints)
        {
            var value = tls.Args[0];
            if (value.Contains('{')) continue; // placeholders and {$ENV} are resolved at run time
            var resolved = files.Resolve(value, baseDir);
            if (resolved is not null && !File.Exists(resolved))
                files.MissingFile(value, resolved, tls.ArgLocations[0], "tls", "Caddy");
            result.Add(new TlsEndpoint
            {
                Server = ServerKind.Caddy,
                Label = Texts.Servers.Text("Endpoint.CaddySite", address.Text),
                Location = address.At(path),
                Certificates = [new EndpointCertificate { Certificate = new FileReference(value, tls.ArgLocations[0], resolved is not null && File.Exists(resolved) ? resolved : null) }],
                StaplingOn = !(stapling is { } s && s.Value.Equals("off", StringComparison.OrdinalIgnoreCase)),
                StaplingDirective = stapling,
                Settings = new Dictionary<string, Directive> { ["tls"] = tls },
            });
        }
        return new ServerDeployment { Server = ServerKind.Caddy, ConfigFile = path, Endpoints = result, Globals = globals, Problems = files.Problems };
    }

    // In a braceless single-site Caddyfile the lines after the address are directives, not more addresses.
    private static bool IsDirectiveOutsideBlock(string word, bool sawSite, bool opens) => sawSite && !opens && !word.Contains(':') && !word.Contains('.');
}

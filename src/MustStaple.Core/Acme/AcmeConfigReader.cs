using System.Text.Json;
using MustStaple.Diagnostics;

namespace MustStaple.Acme;

/// <summary>
/// The ACME clients' own configuration files: certbot's <c>cli.ini</c> (<c>must-staple = true</c>) and
/// <c>renewal/&lt;name&gt;.conf</c> (<c>must_staple = True</c>, what every <c>certbot renew</c> repeats), acme.sh's
/// domain conf (<c>Le_OCSP_Staple='1'</c>), dehydrated's <c>config</c> (<c>OCSP_MUST_STAPLE="yes"</c>) and Caddy's JSON
/// automation policies (<c>"must_staple": true</c>). Line-based, one pass, bounded by the lines given.
/// </summary>
internal static class AcmeConfigReader
{
    /// <summary>What kind of client file <paramref name="path"/> is, by name and folder; null when none.</summary>
    public static string? KindOf(string path)
    {
        var name = Path.GetFileName(path);
        var folder = Path.GetFileName(Path.GetDirectoryName(path) ?? "");
        if (name.Equals("cli.ini", StringComparison.OrdinalIgnoreCase)) return "cli.ini";
        if (name.EndsWith(".conf", StringComparison.OrdinalIgnoreCase) && folder.Equals("renewal", StringComparison.OrdinalIgnoreCase)) return "renewal";
        var stem = Path.GetFileNameWithoutExtension(name);
        // acme.sh keeps <domain>/<domain>.conf (<domain>_ecc/ for ECDSA keys): a domain name has a dot (nginx/nginx.conf does not).
        if (name.EndsWith(".conf", StringComparison.OrdinalIgnoreCase) && stem.IndexOf('.') > 0 && (folder == stem || folder == stem + "_ecc")) return "acme.sh";
        if (name.Equals("config", StringComparison.Ordinal) || name.Equals("config.sh", StringComparison.Ordinal)) return "dehydrated";
        return null;
    }

    /// <summary>The must-staple requests in one client file of kind <paramref name="kind"/>.</summary>
    public static IEnumerable<AcmeRequest> Read(string path, string kind, IReadOnlyList<string> lines, AcmeAuthorities authorities)
    {
        var values = new Dictionary<string, (string Value, SourceLocation At, SourceLocation KeyAt, string Raw)>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var t = line.TrimStart();
            if (t.Length == 0 || t[0] is '#' or ';' or '[') continue;
            var indent = line.Length - t.Length;
            var eq = t.IndexOf('=');
            var key = (eq < 0 ? t : t.Substring(0, eq)).Trim();
            if (kind == "dehydrated" || kind == "acme.sh") key = key.StartsWith("export ", StringComparison.Ordinal) ? key.Substring(7).Trim() : key;
            var raw = eq < 0 ? "" : t.Substring(eq + 1);
            var value = raw.Trim();
            var hash = kind is "cli.ini" or "renewal" ? value.IndexOf(" #", StringComparison.Ordinal) : -1;
            if (hash >= 0) value = value.Substring(0, hash).Trim();
            value = value.Trim('"', '\'');
            var valueColumn = eq < 0 ? indent + 1 : indent + eq + 2 + (raw.Length - raw.TrimStart().Length);
            values[key] = (eq < 0 ? "true" : value, SourceLocation.OnLine(path, i + 1, valueColumn, Math.Max(value.Length, 1)),
                SourceLocation.OnLine(path, i + 1, indent + 1, t.TrimEnd().Length), key);
        }
        var (flagKey, serverKey, client) = kind switch
        {
            "cli.ini" => ("must-staple", "server", "certbot"),
            "renewal" => ("must_staple", "server", "certbot"),
            "acme.sh" => ("Le_OCSP_Staple", "Le_API", "acme.sh"),
            _ => ("OCSP_MUST_STAPLE", "CA", "dehydrated"),
        };
        if (!values.TryGetValue(flagKey, out var flag) || !IsTrue(flag.Value)) yield break;
        string? server = values.TryGetValue(serverKey, out var s) && s.Value.Length > 0 ? s.Value : null;
        SourceLocation? serverAt = server is null ? null : s.At;
        if (server is null && kind == "cli.ini" && (Has(values, "staging") || Has(values, "test-cert")))
        {
            server = "letsencrypt_test";
            serverAt = values.TryGetValue("staging", out var st) ? st.KeyAt : values["test-cert"].KeyAt;
        }
        var name = kind switch
        {
            "renewal" or "acme.sh" => Path.GetFileNameWithoutExtension(path),
            "cli.ini" => values.TryGetValue("cert-name", out var cn) ? cn.Value : values.TryGetValue("domains", out var dn) ? dn.Value.Split(',')[0].Trim() : null,
            _ => null,
        };
        var extra = new List<PlannedFile>();
        foreach (var (key, content) in kind == "renewal"
            ? new[] { ("fullchain", PlannedContent.LeafAndChain), ("cert", PlannedContent.Leaf), ("chain", PlannedContent.Chain) }
            : kind == "acme.sh" ? [("Le_RealFullChainPath", PlannedContent.LeafAndChain), ("Le_RealCertPath", PlannedContent.Leaf), ("Le_RealCACertPath", PlannedContent.Chain)] : [])
            if (values.TryGetValue(key, out var v) && v.Value.Length > 0) extra.Add(new PlannedFile(v.Value, content));
        yield return new AcmeRequest
        {
            Client = client,
            Switch = flag.Raw + (kind is "cli.ini" or "renewal" ? " = " : "=") + flag.Value,
            Location = flag.KeyAt,
            Server = server,
            ServerLocation = serverAt,
            Authority = server is null ? authorities.DefaultOf(client) : authorities.Resolve(server),
            Name = name,
            Domains = name is null ? [] : [name],
            Files = AcmeOutputs.Of(client, name, extra: extra),
        };
    }

    private static bool Has(Dictionary<string, (string Value, SourceLocation At, SourceLocation KeyAt, string Raw)> values, string key) =>
        values.TryGetValue(key, out var v) && IsTrue(v.Value);

    private static bool IsTrue(string value) =>
        value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1" || value.Equals("yes", StringComparison.OrdinalIgnoreCase)
        || value.Equals("on", StringComparison.OrdinalIgnoreCase);

    /// <summary>Caddy JSON: each automation policy with <c>"must_staple": true</c>, located on that key.</summary>
    public static IEnumerable<AcmeRequest> ReadCaddyJson(string path, string text, IReadOnlyList<string> lines, AcmeAuthorities authorities)
    {
        if (text.IndexOf("must_staple", StringComparison.Ordinal) < 0) return [];
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return []; // the Caddy reader reports the file
        }
        using (doc)
        {
            var result = new List<AcmeRequest>();
            var keys = Occurrences(path, lines, "\"must_staple\"").GetEnumerator();
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("apps", out var apps) || apps.ValueKind != JsonValueKind.Object
                || !apps.TryGetProperty("tls", out var tls) || tls.ValueKind != JsonValueKind.Object
                || !tls.TryGetProperty("automation", out var automation) || automation.ValueKind != JsonValueKind.Object
                || !automation.TryGetProperty("policies", out var policies) || policies.ValueKind != JsonValueKind.Array) return result;
            foreach (var policy in policies.EnumerateArray())
            {
                if (policy.ValueKind != JsonValueKind.Object || !policy.TryGetProperty("must_staple", out var ms)) continue;
                if (!keys.MoveNext()) break;
                if (ms.ValueKind != JsonValueKind.True) continue;
                var subjects = policy.TryGetProperty("subjects", out var subj) && subj.ValueKind == JsonValueKind.Array
                    ? subj.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList() : [];
                // Caddy's default issuers are Let's Encrypt, then ZeroSSL: without an 'issuers' list the request goes to Let's Encrypt first.
                var cas = policy.TryGetProperty("issuers", out var issuers) && issuers.ValueKind == JsonValueKind.Array
                    ? issuers.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Object)
                        .Select(x => x.TryGetProperty("ca", out var ca) && ca.ValueKind == JsonValueKind.String ? ca.GetString()
                            : x.TryGetProperty("module", out var m) && m.GetString() == "zerossl" ? "zerossl" : null).ToList()
                    : [null];
                var server = cas.FirstOrDefault(c => c is not null && authorities.Resolve(c).RefusesMustStaple(DateTimeOffset.MaxValue)) ?? cas.FirstOrDefault();
                result.Add(new AcmeRequest
                {
                    Client = "Caddy", Switch = "\"must_staple\": true", Location = keys.Current,
                    Server = server, Authority = server is null ? authorities.DefaultOf("Caddy") : authorities.Resolve(server),
                    Name = subjects.FirstOrDefault(), Domains = subjects,
                });
            }
            return result;
        }
    }

    private static IEnumerable<SourceLocation> Occurrences(string path, IReadOnlyList<string> lines, string needle)
    {
        for (var i = 0; i < lines.Count; i++)
            for (var at = lines[i].IndexOf(needle, StringComparison.Ordinal); at >= 0; at = lines[i].IndexOf(needle, at + 1, StringComparison.Ordinal))
                yield return SourceLocation.OnLine(path, i + 1, at + 1, needle.Length);
    }
}

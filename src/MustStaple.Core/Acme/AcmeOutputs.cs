namespace MustStaple.Acme;

/// <summary>Where each client writes a certificate, as measured against pebble (docs/acme-clients.md), and how a server's path is matched to it.</summary>
internal static class AcmeOutputs
{
    /// <summary>The files <paramref name="client"/> writes for the certificate <paramref name="name"/> (null or a variable: any name).</summary>
    public static IReadOnlyList<PlannedFile> Of(string client, string? name, bool noBundle = false, bool pem = false, IEnumerable<PlannedFile>? extra = null)
    {
        var n = name is null || name.IndexOfAny(['$', '{', '%', '*', '/', '\\']) >= 0 && client != "lego" ? "*" : name;
        var files = new List<PlannedFile>();
        switch (client)
        {
            case "certbot":
                files.Add(new($"live/{n}/fullchain.pem", PlannedContent.LeafAndChain));
                files.Add(new($"live/{n}/cert.pem", PlannedContent.Leaf));
                files.Add(new($"live/{n}/chain.pem", PlannedContent.Chain));
                break;
            case "lego":
                // lego names the files after the first domain, a wildcard's '*' written as '_'.
                var file = name is null || name.IndexOfAny(['$', '{', '%']) >= 0 ? "*" : name.Replace('*', '_');
                files.Add(new(file == "*" ? "certificates/*" : $"certificates/{file}.crt", noBundle ? PlannedContent.Leaf : PlannedContent.LeafAndChain));
                files.Add(new($"certificates/{file}.issuer.crt", PlannedContent.Chain));
                if (pem) files.Add(new($"certificates/{file}.pem", PlannedContent.LeafAndChain));
                break;
            case "acme.sh":
                foreach (var folder in new[] { n, n + "_ecc" })
                {
                    files.Add(new($"{folder}/fullchain.cer", PlannedContent.LeafAndChain));
                    files.Add(new($"{folder}/{n}.cer", PlannedContent.Leaf));
                    files.Add(new($"{folder}/ca.cer", PlannedContent.Chain));
                }
                break;
            case "dehydrated":
                files.Add(new($"certs/{n}/fullchain.pem", PlannedContent.LeafAndChain));
                files.Add(new($"certs/{n}/cert.pem", PlannedContent.Leaf));
                files.Add(new($"certs/{n}/chain.pem", PlannedContent.Chain));
                break;
        }
        if (extra is not null) files.AddRange(extra);
        return files;
    }

    /// <summary>How many segments of <paramref name="pattern"/> name something (not <c>*</c>): more is more specific.</summary>
    public static int Specificity(string pattern) =>
        pattern.Replace('\\', '/').Split(['/'], StringSplitOptions.RemoveEmptyEntries).Count(p => p != "*");

    /// <summary>
    /// True when a server's <paramref name="path"/> is <paramref name="pattern"/>: an absolute pattern whole, a relative one
    /// at the end of the path (the client's folder may be mounted anywhere); a <c>*</c> segment matches one segment, and a
    /// name segment ending in <c>*</c> matches any name with that start.
    /// </summary>
    public static bool Matches(string pattern, string path)
    {
        var p = pattern.Replace('\\', '/').Split(['/'], StringSplitOptions.RemoveEmptyEntries);
        var s = path.Replace('\\', '/').Split(['/'], StringSplitOptions.RemoveEmptyEntries);
        var absolute = pattern.Length > 0 && (pattern[0] is '/' or '\\' || pattern.Length > 1 && pattern[1] == ':');
        if (p.Length == 0 || s.Length < p.Length || absolute && s.Length != p.Length) return false;
        for (var i = 1; i <= p.Length; i++)
        {
            var want = p[p.Length - i];
            var have = s[s.Length - i];
            if (want == "*") continue;
            if (want[want.Length - 1] == '*' ? !have.StartsWith(want.Substring(0, want.Length - 1), StringComparison.OrdinalIgnoreCase)
                : !want.Equals(have, StringComparison.OrdinalIgnoreCase)) return false;
        }
        return true;
    }
}

using MustStaple.Diagnostics;
using MustStaple.Discovery;
using MustStaple.Localization;

namespace MustStaple.Servers.HAProxy;

/// <summary>
/// Reads an HAProxy configuration into TLS endpoints: each <c>bind … ssl</c> line of a frontend or listen section, the
/// certificates its <c>crt</c> files, folders and <c>crt-list</c>s name, and the <c>&lt;crt&gt;.ocsp</c> and
/// <c>&lt;crt&gt;.issuer</c> files beside each (HAProxy 2.6 looks for exactly those names; docs/evidence/haproxy.md).
/// </summary>
internal static class HAProxyReader
{
    private static readonly HashSet<string> Sections = new(StringComparer.Ordinal)
    {
        "global", "defaults", "frontend", "backend", "listen", "peers", "resolvers", "userlist", "program", "mailers",
        "cache", "http-errors", "ring",
    };

    // Files in a crt folder that are not certificates (HAProxy's own extensions).
    private static readonly string[] SideFiles = [".key", ".ocsp", ".issuer", ".sctl", ".csr"];

    public static ServerDeployment Read(string path, ConfigFiles files)
    {
        var baseDir = Path.GetDirectoryName(path)!;
        var endpoints = new List<TlsEndpoint>();
        var text = files.ReadText(path, null);
        if (text is null) return new ServerDeployment { Server = ServerKind.HAProxy, ConfigFile = path, Endpoints = [], Problems = files.Problems };
        string? section = null, sectionName = null, crtBase = null;
        var lines = LineTokenizer.Lines(text);
        for (var n = 0; n < lines.Length; n++)
        {
            var tokens = LineTokenizer.Split(lines[n], n + 1);
            if (tokens.Count == 0) continue;
            files.Charge(WorkKind.Nodes);
            var keyword = tokens[0].Text;
            if (Sections.Contains(keyword))
            {
                section = keyword;
                sectionName = tokens.Count > 1 ? tokens[1].Text : null;
                continue;
            }
            if (section == "global" && keyword == "crt-base" && tokens.Count > 1) crtBase = tokens[1].Text;
            if (section is not ("frontend" or "listen") || keyword != "bind") continue;
            if (!tokens.Skip(2).Any(t => t.Text == "ssl")) continue;
            var certs = new List<EndpointCertificate>();
            for (var i = 2; i + 1 < tokens.Count; i++)
            {
                // Every crt and crt-list argument is an edge of this configuration: thousands of them stop at the budget.
                if (tokens[i].Text == "crt") { files.Charge(WorkKind.Edges); certs.AddRange(Crt(tokens[i + 1], path, baseDir, crtBase, files)); }
                else if (tokens[i].Text == "crt-list") certs.AddRange(CrtList(tokens[i + 1], path, baseDir, crtBase, files));
            }
            if (certs.Count == 0) continue;
            var bind = Token.ToDirective(path, tokens[0], tokens.Skip(1).ToList());
            endpoints.Add(new TlsEndpoint
            {
                Server = ServerKind.HAProxy,
                Label = Texts.Servers.Text("Endpoint.HAProxyBind", tokens.Count > 1 ? tokens[1].Text : "", section, sectionName),
                Location = bind.Location,
                Certificates = certs,
                StaplingOn = true, // HAProxy has no switch: it staples whatever .ocsp file it loads
                Settings = new Dictionary<string, Directive> { ["bind"] = bind },
            });
        }
        return new ServerDeployment { Server = ServerKind.HAProxy, ConfigFile = path, Endpoints = endpoints, Problems = files.Problems };
    }

    private static string? ResolveCrt(string value, string baseDir, string? crtBase, ConfigFiles files)
    {
        if (!Path.IsPathRooted(value) && crtBase is not null) value = crtBase.TrimEnd('/') + "/" + value;
        return files.Resolve(value, baseDir);
    }

    /// <summary>A <c>crt</c> argument: one file, or every certificate file in a folder (sorted, bounded).</summary>
    private static List<EndpointCertificate> Crt(Token arg, string path, string baseDir, string? crtBase, ConfigFiles files)
    {
        var at = arg.At(path);
        var resolved = ResolveCrt(arg.Text, baseDir, crtBase, files);
        if (resolved is null) return [];
        if (Directory.Exists(resolved))
        {
            // Listed once per run, charged each time a crt or crt-list line names it.
            var inFolder = files.List(resolved).Where(f => !SideFiles.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
                .Where(files.IsInside).Where(File.Exists).Take(ConfigFiles.MaxFiles);
            return inFolder.Select(f => Served(arg.Text.TrimEnd('/') + "/" + Path.GetFileName(f), f, at)).ToList();
        }
        if (!File.Exists(resolved))
        {
            files.MissingFile(arg.Text, resolved, at, "crt", "HAProxy");
            return [];
        }
        return [Served(arg.Text, resolved, at)];
    }

    /// <summary>A <c>crt-list</c>: one certificate per line (<c>&lt;crt&gt; [ssl options] [filters]</c>), relative to crt-base.</summary>
    private static List<EndpointCertificate> CrtList(Token arg, string path, string baseDir, string? crtBase, ConfigFiles files)
    {
        var listPath = files.Resolve(arg.Text, baseDir);
        if (listPath is null) return [];
        if (!File.Exists(listPath))
        {
            files.MissingFile(arg.Text, listPath, arg.At(path), "crt-list", "HAProxy");
            return [];
        }
        var text = files.ReadText(listPath, arg.At(path));
        if (text is null) return [];
        var result = new List<EndpointCertificate>();
        var lines = LineTokenizer.Lines(text);
        for (var n = 0; n < lines.Length && result.Count < ConfigFiles.MaxFiles; n++)
        {
            var tokens = LineTokenizer.Split(lines[n], n + 1);
            if (tokens.Count == 0) continue;
            files.Charge(WorkKind.Edges);
            result.AddRange(Crt(tokens[0], listPath, baseDir, crtBase, files));
        }
        return result;
    }

    private static EndpointCertificate Served(string value, string resolved, SourceLocation at)
    {
        var ocsp = resolved + ".ocsp";
        var issuer = resolved + ".issuer";
        return new EndpointCertificate
        {
            Certificate = new FileReference(value, at, resolved),
            IssuerSources = File.Exists(issuer) ? [new FileReference(value + ".issuer", at, issuer)] : [],
            StapleFile = File.Exists(ocsp) ? new FileReference(value + ".ocsp", at, ocsp) : null,
        };
    }
}

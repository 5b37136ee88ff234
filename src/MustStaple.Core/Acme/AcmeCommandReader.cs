using MustStaple.Diagnostics;

namespace MustStaple.Acme;

/// <summary>
/// Finds ACME clients' must-staple switches in command lines — shell and PowerShell scripts, CI steps, compose
/// <c>command:</c>, systemd <c>ExecStart=</c>, Dockerfile <c>RUN</c>/<c>CMD</c>, Makefiles — and reads the command each
/// belongs to: client, ACME server, domains, and the files the certificate will be written to (docs/acme-clients.md).
/// Only lines holding a switch are split; every other line costs one substring search.
/// </summary>
internal static class AcmeCommandReader
{
    private static readonly Dictionary<string, string> Clients = new(StringComparer.OrdinalIgnoreCase)
    {
        ["certbot"] = "certbot", ["certbot-auto"] = "certbot", ["letsencrypt"] = "certbot", ["letsencrypt-auto"] = "certbot",
        ["lego"] = "lego", ["acme.sh"] = "acme.sh", ["wacs"] = "win-acme", ["wacs.exe"] = "win-acme",
        ["New-PACertificate"] = "Posh-ACME", ["New-PAOrder"] = "Posh-ACME", ["Set-PAOrder"] = "Posh-ACME",
    };

    // certbot subcommands that issue nothing: a switch on them requests no certificate.
    private static readonly HashSet<string> CertbotNonIssuing = new(StringComparer.Ordinal)
    {
        "revoke", "delete", "certificates", "register", "unregister", "update_account", "show_account", "plugins", "rollback", "install", "enhance",
    };

    /// <summary>Every must-staple request in the command lines of <paramref name="text"/>.</summary>
    public static IEnumerable<AcmeRequest> Read(string path, IReadOnlyList<string> lines, bool yaml, AcmeAuthorities authorities)
    {
        var (fileDefaultCa, fileDefaultAt) = FileDefaultServer(path, lines, yaml);
        List<(string? Domain, PlannedFile File)>? installs = null;
        var interpreted = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.IndexOf("staple", StringComparison.OrdinalIgnoreCase) < 0 && line.IndexOf("--ocsp", StringComparison.Ordinal) < 0) continue;
            var seen = 0;
            for (var c = 0; c < line.Length; c++)
            {
                // Each switch on the line, once: the command around it is split only then.
                var at = NextSwitch(line, c);
                if (at < 0) break;
                c = at;
                if (seen++ > 8 || ++interpreted > MaxSwitchesPerFile) yield break;
                var words = CommandLine.Around(lines, i, at + 1, yaml);
                var flagIndex = words.FindIndex(w => w.Line == i + 1 && w.Column <= at + 1 && at + 1 < w.Column + w.Length);
                if (flagIndex < 0) continue;
                var flag = words[flagIndex];
                if (Interpret(path, yaml, words, flagIndex, flag, lines, authorities, fileDefaultCa, fileDefaultAt, () => installs ??= InstallTargets(lines, path)) is { } request)
                    yield return request;
            }
        }
    }

    // acme.sh --set-default-ca --server X, or Posh-ACME Set-PAServer X, anywhere in the file: the server for the
    // file's requests that name none (the last one written wins).
    private static (string?, SourceLocation?) FileDefaultServer(string path, IReadOnlyList<string> lines, bool yaml)
    {
        (string?, SourceLocation?) result = (null, null);
        for (var i = 0; i < lines.Count; i++)
        {
            var acmeSh = lines[i].IndexOf("--set-default-ca", StringComparison.Ordinal) is >= 0;
            var posh = lines[i].IndexOf("Set-PAServer", StringComparison.OrdinalIgnoreCase) is >= 0;
            if (!acmeSh && !posh) continue;
            var words = CommandLine.Around(lines, i, 1, yaml).Where(w => !w.Separator).ToList();
            if (acmeSh && new Options(path, words, ignoreCase: false).Value("--server") is { Value: not null } s) result = s;
            if (!posh) continue;
            var at = words.FindIndex(w => w.Text.Equals("Set-PAServer", StringComparison.OrdinalIgnoreCase));
            if (new Options(path, words, ignoreCase: true).Value("-DirectoryUrl") is { Value: not null } d) result = d;
            else if (at >= 0 && at + 1 < words.Count && !IsOption(words[at + 1].Text))
                result = (words[at + 1].Text, SourceLocation.OnLine(path, words[at + 1].Line, words[at + 1].Column, words[at + 1].Length));
        }
        return result;
    }

    /// <summary>Switches interpreted per file, whatever it holds (a request per line of a hostile file stops here).</summary>
    public const int MaxSwitchesPerFile = 256;

    private static readonly string[] Switches = ["--must-staple", "-must-staple", "--ocsp-must-staple", "--ocsp", "-OCSPMustStaple"];

    private static int NextSwitch(string line, int from)
    {
        var best = -1;
        foreach (var s in Switches)
        {
            var at = line.IndexOf(s, from, StringComparison.OrdinalIgnoreCase);
            while (at >= 0 && !IsWordAt(line, at, s)) at = line.IndexOf(s, at + 1, StringComparison.OrdinalIgnoreCase);
            if (at >= 0 && (best < 0 || at < best)) best = at;
        }
        return best;
    }

    private static bool IsWordAt(string line, int at, string s)
    {
        var end = at + s.Length;
        var startOk = at == 0 || line[at - 1] is ' ' or '\t' or '"' or '\'' or '[' or ',' or '=' or '(';
        var endOk = end == line.Length || line[end] is ' ' or '\t' or '"' or '\'' or ']' or ',' or '=' or ':' or '\\' or '`' or ';' or '\r' or ')';
        return startOk && endOk;
    }

    private static AcmeRequest? Interpret(string path, bool yaml, List<Word> words, int flagIndex, Word flag, IReadOnlyList<string> lines,
        AcmeAuthorities authorities, string? fileDefaultCa, SourceLocation? fileDefaultAt, Func<List<(string? Domain, PlannedFile File)>> installs)
    {
        var clientIndex = -1;
        string? client = null;
        for (var i = 0; i < flagIndex; i++)
        {
            // The first word naming a client runs it (`acme.sh --server letsencrypt`: the value names a CA, not certbot).
            if (Clients.TryGetValue(Name(words[i].Text), out var c)) { client = c; clientIndex = i; break; }
        }
        // `$ certbot … --must-staple` in a help text or README is an example, not a command.
        if (clientIndex > 0 && words[clientIndex - 1].Text is "$" or "#" or ">" or "PS>") return null;
        var sw = flag.Text.Split(['=', ':'], 2);

        var name = sw[0];
        if (sw.Length > 1 && sw[1].Trim('$').Equals("false", StringComparison.OrdinalIgnoreCase)) return null; // -OCSPMustStaple:$false
        client ??= (yaml ? FromServiceImage(lines, flag.Line - 1) : null) ?? FromFile(name, lines);
        if (client is null || !Accepts(client, name)) return null;
        var args = words.Skip(clientIndex + 1).Where(w => !w.Separator).ToList();
        if (client == "certbot" && args.Count > 0 && !IsOption(args[0].Text) && CertbotNonIssuing.Contains(args[0].Text)) return null;
        var options = new Options(path, args, client == "Posh-ACME");
        var (server, serverAt) = client switch
        {
            "certbot" => First(options.Value("--server"), options.Flag("--staging", "letsencrypt_test"), options.Flag("--test-cert", "letsencrypt_test")),
            "lego" => First(options.Value("--server"), options.Value("-s"), options.Value("-server")),
            "acme.sh" => First(options.Value("--server"), options.Flag("--staging", "letsencrypt_test"), options.Flag("--test", "letsencrypt_test"),
                (fileDefaultCa, fileDefaultAt)),
            "win-acme" => First(options.Value("--baseuri"), options.Flag("--test", "letsencrypt_test")),
            "Posh-ACME" => First(options.Value("-DirectoryUrl"), (fileDefaultCa, fileDefaultAt)),
            _ => (null, null),
        };
        var domains = client switch
        {
            "win-acme" => options.Values("--host"),
            "Posh-ACME" => options.Values("-Domain") is { Count: > 0 } d ? d : args.Take(1).Where(a => !IsOption(a.Text)).Select(a => a.Text).ToList(),
            "lego" => options.Values("-d").Concat(options.Values("--domains")).ToList(),
            _ => options.Values("-d").Concat(options.Values("--domains")).Concat(options.Values("--domain")).ToList(),
        };
        domains = domains.SelectMany(d => d.Split(',')).Select(d => d.Trim()).Where(d => d.Length > 0).ToList();
        var certName = client == "certbot" ? options.Value("--cert-name").Value : null;
        var displayName = certName ?? domains.FirstOrDefault();
        return new AcmeRequest
        {
            Client = client,
            Switch = name,
            Location = SourceLocation.OnLine(path, flag.Line, flag.Column, flag.Length),
            Server = server,
            ServerLocation = serverAt,
            Authority = server is null ? authorities.DefaultOf(client) : authorities.Resolve(server),
            Name = displayName,
            Domains = domains,
            Files = AcmeOutputs.Of(client, displayName, options.Has("--no-bundle"), options.Has("--pem"),
                client == "acme.sh" ? installs().Where(t => t.Domain is null || domains.Count == 0 || string.Equals(t.Domain, domains[0], StringComparison.OrdinalIgnoreCase)).Select(t => t.File) : []),
        };
    }

    // The client a switch without a client word on its line belongs to (compose `command:` of a certbot image, a
    // Dockerfile CMD after ENTRYPOINT ["certbot"]): the one client the file names; none when it names none.
    private static string? FromFile(string flag, IReadOnlyList<string> lines)
    {
        var candidates = flag.Equals("-OCSPMustStaple", StringComparison.OrdinalIgnoreCase) ? ["Posh-ACME"]
            : flag is "--ocsp-must-staple" ? new[] { "acme.sh", "win-acme" }
            : flag is "--ocsp" ? ["acme.sh"]
            : ["certbot", "lego"];
        foreach (var line in lines.Take(4096))
            foreach (var c in candidates)
                if (line.IndexOf(c == "win-acme" ? "wacs" : c, StringComparison.OrdinalIgnoreCase) is >= 0) return c;
        return null;
    }

    // compose: the client a service's `command:` runs is its image's entry point (certbot/certbot, goacme/lego,
    // neilpang/acme.sh). The service is the block above the switch; its `image:` may come before or after `command:`.
    private static string? FromServiceImage(IReadOnlyList<string> lines, int index)
    {
        var indent = Indent(lines[index]);
        for (var i = index - 1; i >= 0 && index - i <= CommandLine.MaxLines; i--)
        {
            if (lines[i].Trim().Length == 0 || Indent(lines[i]) >= indent) continue;
            indent = Indent(lines[i]);
            // Siblings at this level, both ways, within the parent block.
            for (var j = i; j >= 0 && i - j <= CommandLine.MaxLines && (j == i || Indent(lines[j]) >= indent || lines[j].Trim().Length == 0); j--)
                if (ImageClient(lines[j], indent) is { } c) return c;
            for (var j = i + 1; j < lines.Count && j - i <= 4 * CommandLine.MaxLines && (Indent(lines[j]) >= indent || lines[j].Trim().Length == 0); j++)
                if (ImageClient(lines[j], indent) is { } c) return c;
            if (indent == 0) break;
        }
        return null;
    }

    private static string? ImageClient(string line, int indent)
    {
        var t = line.TrimStart();
        if (Indent(line) != indent || !t.StartsWith("image:", StringComparison.Ordinal)) return null;
        var image = t.Substring(6).Trim().Trim('"', '\'');
        return Clients.TryGetValue(Name(image), out var c) ? c : null;
    }

    private static int Indent(string line)
    {
        var i = 0;
        while (i < line.Length && line[i] == ' ') i++;
        return i;
    }

    private static bool Accepts(string client, string flag) => client switch
    {
        "certbot" => flag == "--must-staple",
        "lego" => flag is "--must-staple" or "-must-staple",
        "acme.sh" => flag is "--ocsp-must-staple" or "--ocsp",
        "win-acme" => flag == "--ocsp-must-staple",
        "Posh-ACME" => flag.Equals("-OCSPMustStaple", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    private static (string? Value, SourceLocation? At) First(params (string? Value, SourceLocation? At)[] options) =>
        options.FirstOrDefault(o => o.Value is not null);

    private static bool IsOption(string word) => word is ['-', ..];

    /// <summary>The command name a word invokes: its file name without a container tag (<c>certbot/certbot:v2.1.0</c> → <c>certbot</c>).</summary>
    private static string Name(string word)
    {
        var slash = word.LastIndexOfAny(['/', '\\']);
        var name = slash >= 0 ? word.Substring(slash + 1) : word;
        var tag = name.IndexOf(':');
        return tag > 0 ? name.Substring(0, tag) : name;
    }

    // acme.sh --install-cert -d <domain> --fullchain-file … anywhere in the file: where the server reads the certificate.
    private static List<(string? Domain, PlannedFile File)> InstallTargets(IReadOnlyList<string> lines, string path)
    {
        var result = new List<(string?, PlannedFile)>();
        for (var i = 0; i < lines.Count && result.Count < MaxSwitchesPerFile; i++)
        {
            if (lines[i].IndexOf("-file", StringComparison.Ordinal) < 0) continue;
            var words = CommandLine.Around(lines, i, 1, yaml: false).Where(w => !w.Separator).ToList();
            if (!words.Any(w => Name(w.Text) == "acme.sh")) continue;
            var o = new Options(path, words, ignoreCase: false);
            var d = o.Values("-d").Concat(o.Values("--domain")).FirstOrDefault();
            foreach (var (option, content) in new[] { ("--fullchain-file", PlannedContent.LeafAndChain), ("--cert-file", PlannedContent.Leaf), ("--ca-file", PlannedContent.Chain) })
                if (o.Value(option).Value is { } p) result.Add((d, new PlannedFile(p, content)));
        }
        return result;
    }

    /// <summary>A command's options: <c>--name value</c> and <c>--name=value</c>.</summary>
    private sealed class Options(string path, List<Word> args, bool ignoreCase)
    {
        private StringComparison Comparison => ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

        public bool Has(string name) => args.Any(a => a.Text.Equals(name, Comparison) || a.Text.StartsWith(name + "=", Comparison));

        public (string? Value, SourceLocation? At) Value(string name)
        {
            for (var i = 0; i < args.Count; i++)
            {
                var a = args[i];
                if (a.Text.StartsWith(name + "=", Comparison))
                    return (a.Text.Substring(name.Length + 1), SourceLocation.OnLine(path, a.Line, a.Column + name.Length + 1, a.Length - name.Length - 1));
                if (a.Text.Equals(name, Comparison) && i + 1 < args.Count && !IsOption(args[i + 1].Text))
                    return (args[i + 1].Text, SourceLocation.OnLine(path, args[i + 1].Line, args[i + 1].Column, args[i + 1].Length));
            }
            return (null, null);
        }

        public (string? Value, SourceLocation? At) Flag(string name, string server)
        {
            var a = args.FirstOrDefault(w => w.Text.Equals(name, Comparison));
            return a.Text is null ? (null, null) : (server, SourceLocation.OnLine(path, a.Line, a.Column, a.Length));
        }

        public List<string> Values(string name)
        {
            var result = new List<string>();
            for (var i = 0; i < args.Count; i++)
            {
                if (args[i].Text.StartsWith(name + "=", Comparison)) result.Add(args[i].Text.Substring(name.Length + 1));
                else if (args[i].Text.Equals(name, Comparison) && i + 1 < args.Count && !IsOption(args[i + 1].Text)) result.Add(args[i + 1].Text);
            }
            return result;
        }
    }
}

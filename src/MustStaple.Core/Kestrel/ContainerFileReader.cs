using System.Text.RegularExpressions;
using MustStaple.Diagnostics;

namespace MustStaple.Kestrel;

/// <summary>What a Dockerfile or compose file tells: final base image, environment variables, certificates copied into trust stores.</summary>
public sealed class ContainerFacts
{
    /// <summary>The file.</summary>
    public required string Path { get; init; }

    /// <summary>The final stage's base image (aliases resolved), with its location.</summary>
    public (string Image, SourceLocation Location)? BaseImage { get; init; }

    /// <summary>Environment variables in file order (later wins).</summary>
    public required IReadOnlyList<ConfigEntry> Environment { get; init; }

    /// <summary>Source paths (relative to the file's folder) copied into a CA trust location.</summary>
    public required IReadOnlyList<string> TrustedCertificateSources { get; init; }

    /// <summary>Why the file could not be read (its other facts are then empty).</summary>
    public LoadError? Error { get; init; }

    /// <summary>The file mentions <c>ca-certificates</c> (installs the package or copies into its folder).</summary>
    public bool MentionsCaCertificates { get; init; }
}

/// <summary>Line-based readers for Dockerfiles and compose files: just the facts the lint needs.</summary>
public static class ContainerFileReader
{
    private static readonly Regex From = new(@"^\s*FROM\s+(?:--platform=\S+\s+)?(?<image>\S+)(?:\s+AS\s+(?<alias>\S+))?", RegexOptions.IgnoreCase);
    private static readonly Regex Env = new(@"^\s*ENV\s+(?<rest>.+)$", RegexOptions.IgnoreCase);
    private static readonly Regex Copy = new(@"^\s*(?:COPY|ADD)\s+(?:--\S+\s+)*(?<args>.+)$", RegexOptions.IgnoreCase);
    // Every pattern runs in time linear in the line: a key starts only where no key character precedes it, and values
    // are taken greedily to the end of the (right-trimmed) line, so a 10 MiB line cannot make a match quadratic.
    private static readonly Regex Pair = new(@"(?<![A-Za-z0-9_.\-])(?<key>[A-Za-z_][A-Za-z0-9_.\-]*)=(?<value>""(?:[^""\\]|\\.)*""|'[^']*'|\S*)");
    private static readonly Regex ComposeListItem = new(@"^(?<indent>\s*)-\s*[""']?(?<key>[A-Za-z_][A-Za-z0-9_.\-]*)=(?<value>.*)$");
    private static readonly Regex ComposeMapItem = new(@"^(?<indent>\s+)[""']?(?<key>[A-Za-z_][A-Za-z0-9_]*__[A-Za-z0-9_.\-]*|ASPNETCORE_[A-Za-z0-9_]+|DOTNET_[A-Za-z0-9_]+|HTTPS?_PORTS)[""']?[ \t]*:[ \t]*(?<value>.*)$");

    /// <summary>Reads a Dockerfile.</summary>
    public static ContainerFacts ReadDockerfile(string path, string text)
    {
        var env = new List<ConfigEntry>();
        var trusted = new List<string>();
        var aliases = new Dictionary<string, (string, SourceLocation)>(StringComparer.OrdinalIgnoreCase);
        (string, SourceLocation)? final = null;
        var lines = JoinContinuations(text);
        foreach (var (lineNo, line) in lines)
        {
            var m = From.Match(line);
            if (m.Success)
            {
                var image = m.Groups["image"].Value;
                var col = line.IndexOf(image, StringComparison.Ordinal) + 1;
                var resolved = aliases.TryGetValue(image, out var a) ? a : (image, SourceLocation.OnLine(path, lineNo, col, image.Length));
                if (m.Groups["alias"].Success) aliases[m.Groups["alias"].Value] = resolved;
                final = resolved;
                continue;
            }
            m = Env.Match(line);
            if (m.Success)
            {
                var rest = m.Groups["rest"].Value;
                var restCol = line.IndexOf(rest, StringComparison.Ordinal);
                var pairs = Pair.Matches(rest);
                if (pairs.Count == 0)
                {
                    var parts = rest.Trim().Split([' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries); // legacy "ENV KEY value"
                    if (parts.Length == 2) env.Add(Entry(path, lineNo, restCol + 1, parts[0], Unquote(parts[1].Trim()), restCol + rest.IndexOf(parts[1], StringComparison.Ordinal) + 1));
                    continue;
                }
                foreach (Match p in pairs)
                    env.Add(Entry(path, lineNo, restCol + p.Index + 1, p.Groups["key"].Value, Unquote(p.Groups["value"].Value), restCol + p.Groups["value"].Index + 1));
                continue;
            }
            m = Copy.Match(line);
            if (m.Success)
            {
                var args = m.Groups["args"].Value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                if (args.Length >= 2 && IsTrustLocation(args[args.Length - 1]))
                    trusted.AddRange(args.Take(args.Length - 1));
            }
        }
        return new ContainerFacts
        {
            Path = path, BaseImage = final, Environment = env, TrustedCertificateSources = trusted,
            MentionsCaCertificates = text.Contains("ca-certificates"),
        };
    }

    /// <summary>Reads the <c>environment:</c> entries of a compose file (list and map forms).</summary>
    public static ContainerFacts ReadCompose(string path, string text)
    {
        var env = new List<ConfigEntry>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd();
            var m = ComposeListItem.Match(line);
            var value = m.Success ? Unquote(WithoutClosingQuote(m.Groups["value"].Value).Trim()) : null;
            if (value is null)
            {
                m = ComposeMapItem.Match(line);
                if (!m.Success) continue;
                value = Unquote(m.Groups["value"].Value.Trim());
            }
            var key = m.Groups["key"].Value;
            env.Add(Entry(path, i + 1, m.Groups["key"].Index + 1, key, value, m.Groups["value"].Index + 1));
        }
        return new ContainerFacts { Path = path, Environment = env, TrustedCertificateSources = [], MentionsCaCertificates = text.Contains("ca-certificates") };
    }

    // "- 'KEY=value'": the item's closing quote (any quote, as the opening one is optional) is not part of the value.
    private static string WithoutClosingQuote(string value) =>
        value.Length > 0 && value[value.Length - 1] is '"' or '\'' ? value.Substring(0, value.Length - 1) : value;

    private static ConfigEntry Entry(string path, int line, int keyCol, string key, string value, int valueCol) =>
        new(key, value, SourceLocation.OnLine(path, line, keyCol, key.Length), SourceLocation.OnLine(path, line, valueCol, Math.Max(1, value.Length)), path);

    private static bool IsTrustLocation(string dest) =>
        dest.Contains("/usr/local/share/ca-certificates") || dest.Contains("x509stores") || dest.Contains("/etc/ssl/certs");

    private static string Unquote(string v) =>
        v.Length >= 2 && (v[0] == '"' || v[0] == '\'') && v[v.Length - 1] == v[0] ? v.Substring(1, v.Length - 2) : v;

    private static List<(int Line, string Text)> JoinContinuations(string text)
    {
        var result = new List<(int, string)>();
        var lines = text.Split('\n');
        var builder = new System.Text.StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            var start = i;
            var part = lines[i].TrimEnd('\r');
            builder.Clear();
            while (part.Length > 0 && part[part.Length - 1] == '\\' && i + 1 < lines.Length)
            {
                builder.Append(part, 0, part.Length - 1).Append(' '); // appended, not re-joined: linear in the file
                part = lines[++i].TrimEnd('\r').Trim();
            }
            var line = builder.Append(part).ToString();
            var trimmed = line.TrimStart();
            if (trimmed.Length > 0 && trimmed[0] == '#') continue;
            result.Add((start + 1, line));
        }
        return result;
    }
}

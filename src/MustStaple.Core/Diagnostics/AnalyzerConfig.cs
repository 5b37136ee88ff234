using System.Text.RegularExpressions;
using Microsoft.Extensions.FileSystemGlobbing;

namespace MustStaple.Diagnostics;

/// <summary>
/// <c>dotnet_diagnostic.&lt;ID&gt;.severity</c> from <c>.globalconfig</c> (applies everywhere) and <c>.editorconfig</c>
/// files (sections whose glob matches the finding's file; the nearest file wins; <c>root = true</c> stops the
/// search upwards) — the way the compiler reads them, for the MST rules.
/// </summary>
public sealed class AnalyzerConfig
{
    private static readonly Regex Setting = new(@"^\s*dotnet_diagnostic\.(?<id>[A-Za-z]+\d+)\.severity\s*=\s*(?<value>[A-Za-z]+)\s*(?:[#;].*)?$");
    private readonly Dictionary<string, Severity> _global = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, EditorConfigFile?> _editorConfigs = new(StringComparer.Ordinal);
    private readonly string _stopAt;

    private AnalyzerConfig(string stopAt) => _stopAt = stopAt;

    /// <summary>Reads <paramref name="globalConfigs"/> now and .editorconfig files above each finding on demand, up to <paramref name="sourceRoot"/>.</summary>
    public static AnalyzerConfig Load(string sourceRoot, IEnumerable<string> globalConfigs)
    {
        var config = new AnalyzerConfig(sourceRoot);
        foreach (var path in globalConfigs.OrderBy(p => p, StringComparer.Ordinal))
        {
            foreach (var (_, id, severity) in Parse(path).SelectMany(s => s.Settings)) config._global[id] = severity;
        }
        return config;
    }

    /// <summary>The configured severity of <paramref name="id"/> for a finding in <paramref name="file"/>, or null.</summary>
    public Severity? For(string id, string file)
    {
        Severity? result = _global.TryGetValue(id, out var g) ? g : null;
        var chain = new List<EditorConfigFile>();
        for (var dir = Path.GetDirectoryName(file); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (Get(dir) is { } ec)
            {
                chain.Add(ec);
                if (ec.IsRoot) break;
            }
            if (string.Equals(dir, _stopAt, StringComparison.Ordinal)) break;
        }
        for (var i = chain.Count - 1; i >= 0; i--) // farthest first, nearest last wins
        {
            foreach (var section in chain[i].Sections)
            {
                if (!section.Matches(file, chain[i].Directory)) continue;
                foreach (var (_, sid, severity) in section.Settings)
                    if (sid.Equals(id, StringComparison.OrdinalIgnoreCase)) result = severity;
            }
        }
        return result;
    }

    private EditorConfigFile? Get(string dir)
    {
        lock (_editorConfigs)
        {
            if (_editorConfigs.TryGetValue(dir, out var cached)) return cached;
            var path = Path.Combine(dir, ".editorconfig");
            var file = File.Exists(path) ? new EditorConfigFile(dir, Parse(path), IsRootFile(path)) : null;
            _editorConfigs[dir] = file;
            return file;
        }
    }

    private static bool IsRootFile(string path) =>
        ReadLines(path).TakeWhile(l => l.TrimStart() is not { Length: > 0 } t || t[0] != '[')
            .Any(l => Regex.IsMatch(l, @"^\s*root\s*=\s*true\s*$", RegexOptions.IgnoreCase));

    private static List<Section> Parse(string path)
    {
        var sections = new List<Section> { new(null, []) };
        foreach (var raw in ReadLines(path))
        {
            var line = raw.Trim();
            if (line.Length > 1 && line[0] == '[' && line[line.Length - 1] == ']')
            {
                sections.Add(new Section(line.Substring(1, line.Length - 2), []));
                continue;
            }
            var m = Setting.Match(line);
            if (m.Success && SeverityText.TryParseConfig(m.Groups["value"].Value, out var severity))
                sections[sections.Count - 1].Settings.Add((path, m.Groups["id"].Value, severity));
        }
        return sections;
    }

    private static string[] ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private sealed record EditorConfigFile(string Directory, List<Section> Sections, bool IsRoot);

    private sealed record Section(string? Glob, List<(string File, string Id, Severity Severity)> Settings)
    {
        public bool Matches(string file, string directory)
        {
            if (Glob is null) return true; // a .globalconfig, or settings before the first section
            var relative = file.Substring(directory.Length).TrimStart(Path.DirectorySeparatorChar).Replace('\\', '/');
            foreach (var pattern in Expand(Glob))
            {
                var p = pattern.Length > 0 && pattern[0] == '/' ? pattern.Substring(1) : pattern.Contains('/') ? pattern : "**/" + pattern;
                var matcher = new Matcher(StringComparison.OrdinalIgnoreCase);
                matcher.AddInclude(p);
                if (matcher.Match(relative).HasMatches) return true;
            }
            return false;
        }

        private static IEnumerable<string> Expand(string glob)
        {
            var open = glob.IndexOf('{');
            var close = open < 0 ? -1 : glob.IndexOf('}', open);
            if (open < 0 || close < 0) return [glob];
            var head = glob.Substring(0, open);
            var tail = glob.Substring(close + 1);
            return glob.Substring(open + 1, close - open - 1).Split(',').SelectMany(alt => Expand(head + alt + tail));
        }
    }
}

using System.Text.RegularExpressions;
using Microsoft.Extensions.FileSystemGlobbing;
using MustStaple.Discovery;
using MustStaple.Rules;

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
    private readonly InputReader _inputs;

    /// <summary>A section glob expands to at most this many patterns (<c>{a,b}{a,b}…</c> grows exponentially).</summary>
    internal const int MaxGlobAlternatives = 256;

    private AnalyzerConfig(string stopAt, InputReader inputs)
    {
        _stopAt = stopAt;
        _inputs = inputs;
    }

    /// <summary>
    /// Reads <paramref name="globalConfigs"/> now and .editorconfig files above each finding on demand, up to
    /// <paramref name="sourceRoot"/>, each through <paramref name="inputs"/> (problems are recorded there).
    /// </summary>
    public static AnalyzerConfig Load(string sourceRoot, IEnumerable<string> globalConfigs, InputReader? inputs = null)
    {
        var config = new AnalyzerConfig(sourceRoot, inputs ?? new InputReader(sourceRoot));
        foreach (var path in globalConfigs.OrderBy(p => p, StringComparer.Ordinal))
        {
            foreach (var (_, id, severity) in config.Parse(path).Sections.SelectMany(s => s.Settings)) config._global[id] = severity;
        }
        return config;
    }

    /// <summary>Reads the <c>.editorconfig</c> at <paramref name="path"/> now (no-op for other names).</summary>
    public void Preload(string path)
    {
        if (Path.GetFileName(path).Equals(".editorconfig", StringComparison.Ordinal) && Path.GetDirectoryName(path) is { } dir) Get(dir);
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
            EditorConfigFile? file = null;
            if (File.Exists(path))
            {
                var (sections, isRoot) = Parse(path);
                file = new EditorConfigFile(dir, sections, isRoot);
            }
            _editorConfigs[dir] = file;
            return file;
        }
    }

    private static readonly Regex RootSetting = new(@"^\s*root\s*=\s*true\s*$", RegexOptions.IgnoreCase);

    private (List<Section> Sections, bool IsRoot) Parse(string path)
    {
        var sections = new List<Section> { new(null, []) };
        var isRoot = false;
        foreach (var raw in ReadLines(path))
        {
            var line = raw.Trim();
            if (line.Length > 1 && line[0] == '[' && line[line.Length - 1] == ']')
            {
                var section = new Section(line.Substring(1, line.Length - 2), []);
                if (section.Problem is { } problem) _inputs.Report(path, RuleIds.UnreadableInput, $"'{Path.GetFileName(path)}' section [{Quote(section.Glob!)}] is ignored: {problem}");
                sections.Add(section);
                continue;
            }
            if (sections.Count == 1 && RootSetting.IsMatch(line)) isRoot = true;
            var m = Setting.Match(line);
            if (m.Success && SeverityText.TryParseConfig(m.Groups["value"].Value, out var severity))
                sections[sections.Count - 1].Settings.Add((path, m.Groups["id"].Value, severity));
        }
        return (sections, isRoot);
    }

    private static string Quote(string glob) => glob.Length <= 60 ? glob : glob.Remove(60) + "…";

    // Read as the compiler reads them (StreamReader: a byte-order mark honoured, invalid bytes replaced), through the
    // guarded opener: a FIFO or a link out of the repository is never opened.
    private string[] ReadLines(string path)
    {
        if (_inputs.Read(path) is not { } bytes) return [];
        var (text, _, _) = TextDecoder.Decode(bytes, strict: false);
        return (text ?? "").Split('\n');
    }

    private sealed record EditorConfigFile(string Directory, List<Section> Sections, bool IsRoot);

    private sealed class Section
    {
        private readonly Matcher[]? _matchers;

        public Section(string? glob, List<(string File, string Id, Severity Severity)> settings)
        {
            Glob = glob;
            Settings = settings;
            if (glob is null) return;
            // Compiled once per section, not once per finding; bounded, since alternatives multiply.
            var patterns = new List<string>();
            if (!Expand(glob, patterns))
            {
                Problem = $"it expands to more than {MaxGlobAlternatives} patterns";
                _matchers = [];
                return;
            }
            try
            {
                _matchers = patterns.Select(pattern =>
                {
                    var p = pattern.Length > 0 && pattern[0] == '/' ? pattern.Substring(1) : pattern.Contains('/') ? pattern : "**/" + pattern;
                    var matcher = new Matcher(StringComparison.OrdinalIgnoreCase);
                    matcher.AddInclude(p);
                    matcher.Match("probe"); // the glob is parsed on first use: fail here, not once per finding
                    return matcher;
                }).ToArray();
            }
#pragma warning disable CA1031 // a glob the matcher cannot parse ('..', odd segments) makes the section inert, as in the compiler
            catch (Exception)
#pragma warning restore CA1031
            {
                Problem = "its file pattern cannot be parsed";
                _matchers = [];
            }
        }

        public string? Glob { get; }

        public List<(string File, string Id, Severity Severity)> Settings { get; }

        public string? Problem { get; }

        public bool Matches(string file, string directory)
        {
            if (_matchers is null) return true; // a .globalconfig, or settings before the first section
            var relative = file.Substring(directory.Length).TrimStart(Path.DirectorySeparatorChar).Replace('\\', '/');
            foreach (var matcher in _matchers)
                if (matcher.Match(relative).HasMatches) return true;
            return false;
        }

        private static bool Expand(string glob, List<string> into)
        {
            var open = glob.IndexOf('{');
            var close = open < 0 ? -1 : glob.IndexOf('}', open);
            if (open < 0 || close < 0)
            {
                into.Add(glob);
                return into.Count <= MaxGlobAlternatives;
            }
            var head = glob.Substring(0, open);
            var tail = glob.Substring(close + 1);
            foreach (var alt in glob.Substring(open + 1, close - open - 1).Split(','))
                if (!Expand(head + alt + tail, into)) return false;
            return true;
        }
    }
}

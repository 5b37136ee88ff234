using MustStaple.Certificates;
using MustStaple.Discovery;
using MustStaple.Diagnostics;
using MustStaple.Rules;

namespace MustStaple.Servers;

/// <summary>
/// The files one server configuration is made of: reads them through the engine's reader, expands includes (globs
/// bounded, never outside the source root) and maps container paths (<c>/etc/nginx/…</c>) onto the repository folder
/// that provides them. Every problem becomes an <c>MST0001</c> load problem at the directive that caused it.
/// </summary>
internal sealed class ConfigFiles
{
    /// <summary>What one run has read of server configurations: each file read and parsed once (by real path), each folder listed once.</summary>
    public sealed class RunCache
    {
        public RunCache(WorkBudget budget) => Budget = budget;

        public WorkBudget Budget { get; }

        public Dictionary<string, string?> Texts { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, (List<ConfigNode> Nodes, long Count)> Parsed { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string[]> Listings { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>Files one configuration may pull in through includes.</summary>
    public const int MaxFiles = 256;

    /// <summary>Include nesting depth (a file including itself stops here too).</summary>
    public const int MaxDepth = 16;

    private readonly Func<string, byte[]?> _read;
    private readonly List<LoadProblem> _problems = [];
    private int _files;

    /// <summary>The files of the configuration <paramref name="root"/> (the file judged, which every charge names), read through <paramref name="read"/>.</summary>
    public ConfigFiles(string sourceRoot, Func<string, byte[]?> read, string? root = null, RunCache? cache = null)
    {
        SourceRoot = sourceRoot;
        _read = read;
        Root = root ?? sourceRoot;
        Cache = cache ?? new RunCache(new WorkBudget());
    }

    public string SourceRoot { get; }

    /// <summary>The configuration file being judged: what the budget's charges name.</summary>
    public string Root { get; }

    /// <summary>The run's cache and budget.</summary>
    public RunCache Cache { get; }

    /// <summary>Counts work for the configuration being judged (throws <see cref="WorkLimitException"/> past a limit).</summary>
    public void Charge(WorkKind kind, long amount = 1) => Cache.Budget.Charge(Root, kind, amount);

    /// <summary>Throws <see cref="WorkLimitException"/> when a block or section nests past the run's depth limit.</summary>
    public void Depth(int depth) => Cache.Budget.Depth(Root, depth);

    /// <summary>The key a file is cached under: its real path (links resolved), so a file named twice is one file.</summary>
    public string Key(string path) => InputFile.RealPathUnder(path, SourceRoot) ?? path;

    public IReadOnlyList<LoadProblem> Problems => _problems;

    /// <summary>Records a problem; a damaged or hostile configuration reports its first ones, then one line counts the rest.</summary>
    public void Problem(SourceLocation at, string message)
    {
        if (++_problemCount <= CertificateLoader.MaxProblemsPerFile) _problems.Add(new LoadProblem(RuleIds.UnreadableInput, at, message));
        else if (_problemCount == CertificateLoader.MaxProblemsPerFile + 1)
            _problems.Add(new LoadProblem(RuleIds.UnreadableInput, at, $"more than {CertificateLoader.MaxProblemsPerFile} problems in this configuration; the rest are not reported"));
    }

    private int _problemCount;

    /// <summary>The text of <paramref name="path"/>, or null (with a problem at <paramref name="from"/>) when it cannot be read.</summary>
    public string? ReadText(string path, SourceLocation? from)
    {
        if (++_files > MaxFiles)
        {
            if (_files == MaxFiles + 1) Problem(from ?? SourceLocation.StartOf(path), $"more than {MaxFiles} configuration files are included; the rest were not read");
            return null;
        }
        if (from is not null) Charge(WorkKind.Edges);
        var key = Key(path);
        if (!Cache.Texts.TryGetValue(key, out var text))
        {
            var bytes = _read(path);
            // The servers read their configuration as bytes: invalid UTF-8 (in a comment, say) is no error to them.
            text = bytes is null ? null : TextDecoder.Decode(bytes, strict: false).Text;
            Cache.Texts[key] = text;
        }
        // The engine's reader already reports the file itself; an include names where it was asked for.
        if (text is null && from is not null) Problem(from, $"'{Path.GetFileName(path)}' could not be read");
        return text;
    }

    /// <summary>
    /// The parsed nodes of an included <paramref name="path"/>: parsed once per run (cached by real path and
    /// <paramref name="context"/>), charged to the configuration each time it is used, as the server would read it again.
    /// </summary>
    public List<ConfigNode> Included(string path, string context, Func<List<ConfigNode>> parse)
    {
        var key = Key(path) + "\n" + context;
        if (!Cache.Parsed.TryGetValue(key, out var entry))
        {
            var nodes = parse();
            entry = (nodes, CountNodes(nodes));
            Cache.Parsed[key] = entry;
            return nodes;
        }
        Charge(WorkKind.Edges);
        Charge(WorkKind.Nodes, entry.Count);
        return entry.Nodes;
    }

    // Iterative: a tree of any depth is counted without recursion.
    private static long CountNodes(List<ConfigNode> nodes)
    {
        long count = 0;
        var pending = new Stack<List<ConfigNode>>();
        pending.Push(nodes);
        while (pending.Count > 0)
        {
            foreach (var n in pending.Pop())
            {
                count++;
                if (n.Children is { } children) pending.Push(children);
            }
        }
        return count;
    }

    /// <summary>The entries of <paramref name="folder"/> (inside the root), listed once per run and charged to the configuration each time.</summary>
    public string[] List(string folder)
    {
        var key = Key(folder);
        if (!Cache.Listings.TryGetValue(key, out var entries))
        {
            try
            {
                entries = Directory.EnumerateFileSystemEntries(folder).Take((int)Math.Min(int.MaxValue, Cache.Budget.Limits.PerFile[(int)WorkKind.Files] + 1))
                    .OrderBy(e => e, StringComparer.Ordinal).ToArray();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                entries = [];
            }
            Cache.Listings[key] = entries;
        }
        Charge(WorkKind.Files, entries.Length);
        return entries;
    }

    /// <summary>
    /// The repository file a path in the configuration names: relative to <paramref name="baseDir"/>; an absolute path
    /// inside the source root as is; under one of <paramref name="containerPrefixes"/> (the server's folder in its
    /// image) relative to <paramref name="baseDir"/>. Null when it lies outside the repository.
    /// </summary>
    public string? Resolve(string value, string baseDir, IReadOnlyList<string> containerPrefixes)
    {
        if (value.Length == 0 || value.Contains('\0')) return null;
        string full;
        try
        {
            if (Path.IsPathRooted(value))
            {
                full = Path.GetFullPath(value);
                if (!IsInside(full))
                {
                    var prefix = containerPrefixes.FirstOrDefault(p => value.StartsWith(p, StringComparison.Ordinal));
                    if (prefix is null) return null;
                    full = Path.GetFullPath(Path.Combine(baseDir, value.Substring(prefix.Length)));
                }
            }
            else
            {
                full = Path.GetFullPath(Path.Combine(baseDir, value));
            }
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return null;
        }
        return IsInside(full) ? full : null;
    }

    /// <summary>
    /// Reports that <paramref name="value"/> (resolved to <paramref name="resolved"/>) does not exist — only when it names
    /// a repository file directly (relative, or absolute inside the root): a container path mapped by prefix may be
    /// provided by a mount or a COPY the lint does not follow, so its absence proves nothing.
    /// </summary>
    public void MissingFile(string value, string resolved, SourceLocation at, string what, string server)
    {
        if (Path.IsPathRooted(value) && !value.StartsWith(SourceRoot, StringComparison.Ordinal)) return;
        Problem(at, $"'{value}' ({what}) does not exist (looked for {resolved}): {server} will not start");
    }

    /// <summary>True when <paramref name="full"/> is the source root or really lies under it (symbolic links resolved).</summary>
    public bool IsInside(string full) =>
        string.Equals(full.TrimEnd(Path.DirectorySeparatorChar), SourceRoot.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal)
        || (SourcePaths.RelativeTo(full, SourceRoot) is not null && InputFile.RealPathUnder(full, SourceRoot) is not null);

    /// <summary>Marks <paramref name="path"/> as read, under its own name and its link target's (sites-enabled → sites-available).</summary>
    public static void MarkRead(HashSet<string> included, string path)
    {
        included.Add(path);
        if (RealPath(path) is { } real) included.Add(real);
    }

    /// <summary>True when <paramref name="path"/>, or the file it links to, was already read.</summary>
    public static bool WasRead(HashSet<string> included, string path) =>
        included.Contains(path) || (RealPath(path) is { } real && included.Contains(real));

    private static string? RealPath(string path)
    {
#if NET
        try
        {
            return new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName;
        }
        catch (IOException)
        {
            return null;
        }
#else
        return null;
#endif
    }

    // glob(3), segment by segment: each folder listed once per run (charged), only folders really inside the root
    // descended into. Its wildcards never match a leading '.': `include conf.d/*.conf` skips `conf.d/.default.conf`
    // (h5bp's server-configs-nginx disables its default server exactly so).
    private List<string> Glob(string folder, string[] globParts)
    {
        var current = new List<string> { folder };
        for (var i = 0; i < globParts.Length; i++)
        {
            var last = i == globParts.Length - 1;
            var next = new List<string>();
            foreach (var dir in current)
            {
                if (globParts[i].IndexOfAny(['*', '?', '[']) < 0)
                {
                    var literal = Path.Combine(dir, globParts[i]);
                    if (IsInside(literal) && (last ? File.Exists(literal) : Directory.Exists(literal))) next.Add(literal);
                    continue;
                }
                foreach (var entry in List(dir))
                {
                    var name = Path.GetFileName(entry);
                    if (name is ['.', ..] && globParts[i] is not ['.', ..]) continue; // net472 has no StartsWith(char)
                    if (!Wildcard.Matches(name, globParts[i]) || !IsInside(entry)) continue;
                    if (last ? File.Exists(entry) : Directory.Exists(entry)) next.Add(entry);
                }
            }
            current = next;
        }
        return current.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).OrderBy(p => p, StringComparer.Ordinal).ToList();
    }

    /// <summary>The files an include pattern names, sorted, at most <see cref="MaxFiles"/>; problems at <paramref name="at"/>.</summary>
    public IReadOnlyList<string> Expand(string pattern, string baseDir, IReadOnlyList<string> containerPrefixes, SourceLocation at, bool optional)
    {
        if (pattern.IndexOfAny(['*', '?', '[']) < 0)
        {
            var path = Resolve(pattern, baseDir, containerPrefixes);
            if (path is null)
            {
                Problem(at, $"include '{pattern}' lies outside the repository: it was not read");
                return [];
            }
            if (File.Exists(path)) return [path];
            if (!optional) Problem(at, $"include '{pattern}' does not exist (looked for {path})");
            return [];
        }

        // Split at the first segment holding a wildcard: the folder before it is resolved like a plain path.
        var parts = pattern.Replace('\\', '/').Split('/');
        var firstGlob = Array.FindIndex(parts, p => p.IndexOfAny(['*', '?', '[']) >= 0);
        var literal = string.Join("/", parts.Take(firstGlob));
        if (literal.Length == 0 && pattern.Length > 0 && pattern[0] == '/') literal = "/";
        var folder = Resolve(literal.Length == 0 ? "." : literal, baseDir, containerPrefixes);
        if (folder is null)
        {
            Problem(at, $"include '{pattern}' lies outside the repository: it was not read");
            return [];
        }
        if (!Directory.Exists(folder)) return [];
        var globParts = parts.Skip(firstGlob).Where(p => p.Length > 0).ToArray();
        var found = Glob(folder, globParts);
        if (found.Count > MaxFiles)
        {
            Problem(at, $"include '{pattern}' matches {found.Count} files; only the first {MaxFiles} were read");
            found.RemoveRange(MaxFiles, found.Count - MaxFiles);
        }
        return found;
    }
}

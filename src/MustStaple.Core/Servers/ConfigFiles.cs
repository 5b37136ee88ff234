using MustStaple.Certificates;
using MustStaple.Discovery;
using MustStaple.Diagnostics;
using MustStaple.Rules;

namespace MustStaple.Servers;

/// <summary>
/// The files one server configuration is made of: reads them through the engine's reader, expands includes (globs
/// bounded, never outside the source root) and maps container paths onto the repository file that provides them: through
/// the hosting layer's container first, else the server's documented layout (<see cref="ServerLayout"/>). Every problem becomes an <c>MST0001</c> load problem at the directive that caused it.
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
    /// <summary>The container the configuration runs in, when the hosting layer maps its file into one; paths then resolve through it.</summary>
    public ServerContainer? Container { get; init; }

    /// <summary>The server's documented layout: the fallback for absolute paths when no container maps the configuration.</summary>
    public ServerLayout Layout { get; init; } = ServerLayout.None;

    // A base folder that is a container path (Apache's ServerRoot, nginx's prefix) rather than a repository folder.
    private const string ContainerMark = "\0container:";

    /// <summary>A base folder for <see cref="Resolve"/> that is a path inside <see cref="Container"/>.</summary>
    public static string InContainer(string containerFolder) => ContainerMark + containerFolder;

    public IReadOnlyList<LoadProblem> Problems => _problems;

    /// <summary>Records a problem; a damaged or hostile configuration reports its first ones, then one line counts the rest.</summary>
    public void Problem(SourceLocation at, string message)
    {
        if (++_problemCount <= CertificateLoader.MaxProblemsPerFile) _problems.Add(new LoadProblem(RuleIds.UnreadableInput, at, message));
        else if (_problemCount == CertificateLoader.MaxProblemsPerFile + 1)
            _problems.Add(new LoadProblem(RuleIds.UnreadableInput, at, $"more than {CertificateLoader.MaxProblemsPerFile} problems in this configuration; the rest are not reported"));
    }

    private int _problemCount;

    /// <summary>The text of <paramref name="path"/> without counting it as an included file (a pre-scan of the root file), or null.</summary>
    public string? PeekText(string path) => _read(path) is { } bytes ? TextDecoder.Decode(bytes, strict: false).Text : null;

    // Per file: where its first syntax error sits in _problems, that error's message, and how many followed it.
    private readonly Dictionary<string, (int Index, string First, int More)> _syntax = new(StringComparer.Ordinal);

    /// <summary>
    /// Records a syntax error: one per file, counting the rest. A file that is partly another program's text (a
    /// template, another server's configuration) is one finding at its first error, not one per line.
    /// </summary>
    public void SyntaxProblem(SourceLocation at, string message)
    {
        if (!_syntax.TryGetValue(at.Path, out var seen))
        {
            Problem(at, message);
            if (_problems.Count > 0 && ReferenceEquals(_problems[_problems.Count - 1].Message, message)) _syntax[at.Path] = (_problems.Count - 1, message, 0);
            return;
        }
        var more = seen.More + 1;
        _syntax[at.Path] = (seen.Index, seen.First, more);
        _problems[seen.Index] = _problems[seen.Index] with
        {
            Message = $"{seen.First} (and {more} more syntax error{(more == 1 ? "" : "s")} in this file, not reported one by one)",
        };
    }

    // Files the server's package, image or ACME client installs, read as what they are known to hold (ProvidedFiles).
    private readonly Dictionary<string, string> _provided = new(StringComparer.Ordinal);

    /// <summary>The text of <paramref name="path"/>, or null (with a problem at <paramref name="from"/>) when it cannot be read.</summary>
    public string? ReadText(string path, SourceLocation? from)
    {
        if (++_files > MaxFiles)
        {
            if (_files == MaxFiles + 1) Problem(from ?? SourceLocation.StartOf(path), $"more than {MaxFiles} configuration files are included; the rest were not read");
            return null;
        }
        if (_provided.TryGetValue(path, out var provided)) return provided;
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
    /// The repository file a path in the configuration names. In a <see cref="Container"/> (the hosting layer maps the
    /// configuration): the file the container's COPY, volume or secret puts at that path, relative paths taken from
    /// <paramref name="baseDir"/>'s place inside it. Otherwise: relative to <paramref name="baseDir"/>; an absolute path
    /// inside the source root as is; under one of the <see cref="Layout"/>'s documented folders relative to
    /// <paramref name="baseDir"/> (the fallback when nothing shows the image). Null when it lies outside the repository.
    /// </summary>
    public string? Resolve(string value, string baseDir) => Resolve(value, baseDir, out _);

    /// <summary>
    /// Like <see cref="Resolve(string, string)"/>; <paramref name="imageOwn"/> is true when the path is inside the
    /// container and nothing in the repository provides it (the image's own file, a mount from elsewhere).
    /// </summary>
    public string? Resolve(string value, string baseDir, out bool imageOwn)
    {
        imageOwn = false;
        if (value.Length == 0 || value.Contains('\0')) return null;
        if (Container is { } container && (baseDir.StartsWith(ContainerMark, StringComparison.Ordinal) ? baseDir.Substring(ContainerMark.Length) : container.ToContainer(baseDir)) is { } containerBase)
        {
            var provision = container.Service.Files.Find(Hosting.ContainerPaths.Combine(containerBase, value));
            if (provision?.HostPath is not { } host)
            {
                imageOwn = true;
                return null;
            }
            try { host = Path.GetFullPath(host); }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException) { return null; }
            return IsInside(host) ? host : null;
        }
        if (baseDir.StartsWith(ContainerMark, StringComparison.Ordinal)) return null;
        string full;
        try
        {
            if (Path.IsPathRooted(value))
            {
                full = Path.GetFullPath(value);
                if (!IsInside(full))
                {
                    if (Layout.ConfigFolderOf(value) is not { } folder) return null;
                    full = Path.GetFullPath(Path.Combine(baseDir, value.Substring(folder.Length + 1)));
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
    /// a repository file directly (relative, or absolute inside the root): a path mapped by the server's default layout may be
    /// provided by a mount or a COPY the lint does not follow, so its absence proves nothing.
    /// </summary>
    public void MissingFile(string value, string resolved, SourceLocation at, string what, string server)
    {
        // Through the hosting layer a container path names the repository file a COPY or volume puts there: certain.
        if (Container is null && Path.IsPathRooted(value) && !value.StartsWith(SourceRoot, StringComparison.Ordinal)) return;
        Problem(at, $"'{value}' ({what}) does not exist (looked for {resolved}): {server} will not start");
    }

    /// <summary>True when <paramref name="full"/> is the source root or really lies under it (symbolic links resolved).</summary>
    public bool IsInside(string full) =>
        string.Equals(full.TrimEnd(Path.DirectorySeparatorChar), SourceRoot.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal)
        || (SourcePaths.RelativeTo(full, SourceRoot) is not null && InputFile.RealPathUnder(full, SourceRoot) is not null);

    /// <summary>The nearest folder from <paramref name="dir"/> up to the source root holding <paramref name="mainName"/>, or null.</summary>
    public static string? NearestMainFolder(string dir, string sourceRoot, string mainName)
    {
        var root = sourceRoot.TrimEnd(Path.DirectorySeparatorChar);
        for (var d = dir; d is not null; d = Path.GetDirectoryName(d))
        {
            var isRoot = string.Equals(d.TrimEnd(Path.DirectorySeparatorChar), root, StringComparison.Ordinal);
            if (!isRoot && SourcePaths.RelativeTo(d, sourceRoot) is null) break; // never above the source root
            if (File.Exists(Path.Combine(d, mainName))) return d;
            if (isRoot) break;
        }
        return null;
    }

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

    /// <summary>
    /// The files an include pattern names, sorted, at most <see cref="MaxFiles"/>; problems at <paramref name="at"/>. A file
    /// the repository does not carry but <paramref name="server"/>'s package or image installs is read as what it is known to hold.
    /// </summary>
    public IReadOnlyList<string> Expand(string pattern, string baseDir, SourceLocation at, bool optional,
        ServerKind? server = null)
    {
        if (pattern.IndexOfAny(['*', '?', '[']) < 0)
        {
            var path = Resolve(pattern, baseDir, out var imageOwn);
            if (path is not null && File.Exists(path)) return [path];
            if (server is { } kind && ProvidedFiles.Find(kind, pattern) is { } text)
            {
                var virtualPath = path ?? pattern;
                _provided[virtualPath] = text;
                return [virtualPath];
            }
            if (imageOwn) return []; // the image's own file (httpd's conf/extra/*.conf): nothing of the repository
            if (path is null)
            {
                Problem(at, $"include '{pattern}' lies outside the repository: it was not read");
                return [];
            }
            if (!optional) Problem(at, $"include '{pattern}' does not exist (looked for {path})");
            return [];
        }

        // Split at the first segment holding a wildcard: the folder before it is resolved like a plain path.
        var parts = pattern.Replace('\\', '/').Split('/');
        var firstGlob = Array.FindIndex(parts, p => p.IndexOfAny(['*', '?', '[']) >= 0);
        var literal = string.Join("/", parts.Take(firstGlob));
        if (literal.Length == 0 && pattern.Length > 0 && pattern[0] == '/') literal = "/";
        var folder = Resolve(literal.Length == 0 ? "." : literal, baseDir, out var ownFolder);
        if (ownFolder) return [];
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

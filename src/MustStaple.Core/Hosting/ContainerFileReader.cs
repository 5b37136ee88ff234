using System.Text.RegularExpressions;
using MustStaple.Diagnostics;
using MustStaple.Kestrel;

namespace MustStaple.Hosting;

/// <summary>
/// What a Dockerfile, a compose file or a Kubernetes manifest tells about the image the app runs in: its final base
/// image, its environment, what it puts where (<see cref="Copies"/>, <see cref="Mounts"/>) and the platform.
/// </summary>
public sealed class ContainerFacts
{
    /// <summary>The file.</summary>
    public required string Path { get; init; }

    /// <summary>The final stage's base image (stages resolved), with its location.</summary>
    public (string Image, SourceLocation Location)? BaseImage { get; init; }

    /// <summary>Environment variables in effect, in order (later wins): a Dockerfile's final stage and the stages it is built FROM.</summary>
    public required IReadOnlyList<ConfigEntry> Environment { get; init; }

    /// <summary>Dockerfile: COPY/ADD instructions of the final image (its stages first), resolved against the build context later.</summary>
    public IReadOnlyList<DockerCopy> Copies { get; init; } = [];

    /// <summary>Compose and Kubernetes: what is mounted where (bind volumes, secrets, configs), host paths absolute.</summary>
    public IReadOnlyList<ContainerMount> Mounts { get; init; } = [];

    /// <summary>Compose: Dockerfiles its services build, with their build context.</summary>
    public IReadOnlyList<(string Dockerfile, string Context)> Builds { get; init; } = [];

    /// <summary>Platform hints besides the base image (compose/Kubernetes <c>image:</c> and <c>platform:</c>).</summary>
    public IReadOnlyList<PlatformSignal> PlatformSignals { get; init; } = [];

    /// <summary>Why the file could not be read (its other facts are then empty).</summary>
    public LoadError? Error { get; init; }

    /// <summary>The file mentions <c>ca-certificates</c> (installs the package or copies into its folder).</summary>
    public bool MentionsCaCertificates { get; init; }

    /// <summary>Compose: each service as written.</summary>
    public IReadOnlyList<ComposeService> Services { get; init; } = [];

    /// <summary>Dockerfile: the final stage's <c>EXPOSE</c> ports.</summary>
    public IReadOnlyList<PublishedPort> Exposed { get; init; } = [];
}

/// <summary>A Dockerfile COPY or ADD: sources (relative to the build context, or paths in another stage) and destination.</summary>
public sealed class DockerCopy
{
    /// <summary>Source paths as written.</summary>
    public required IReadOnlyList<string> Sources { get; init; }

    /// <summary>The destination in the image, absolute (WORKDIR applied).</summary>
    public required string Destination { get; init; }

    /// <summary>The destination names a folder (ends with '/', or several sources).</summary>
    public required bool DestinationIsFolder { get; init; }

    /// <summary><c>--from=</c>: an earlier stage (its copies), else null.</summary>
    public DockerStage? FromStage { get; init; }

    /// <summary><c>--from=</c> naming an image, not a stage: the files come from outside the repository.</summary>
    public string? FromImage { get; init; }

    /// <summary>The instruction.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>The instruction as written, for messages.</summary>
    public required string Text { get; init; }
}

/// <summary>One stage of a multi-stage Dockerfile.</summary>
public sealed class DockerStage
{
    /// <summary>The stage's <c>AS</c> name, or null.</summary>
    public string? Name { get; init; }

    /// <summary>The earlier stage it is built FROM, or null when FROM names an image.</summary>
    public DockerStage? Base { get; init; }

    /// <summary>The image this stage (through its base stages) starts from.</summary>
    public required (string Image, SourceLocation Location) Image { get; init; }

    /// <summary>This stage's own ENV, in order.</summary>
    public List<ConfigEntry> Environment { get; } = [];

    /// <summary>This stage's own COPY/ADD, in order.</summary>
    public List<DockerCopy> Copies { get; } = [];

    /// <summary>The current WORKDIR.</summary>
    public string WorkingDirectory { get; set; } = "/";

    /// <summary>This stage's <c>ARG</c>s: their value, or null when only a <c>--build-arg</c> could give one.</summary>
    public Dictionary<string, string?> Arguments { get; } = new(StringComparer.Ordinal);

    /// <summary>ARGs declared before the first FROM: inside the stage they are empty unless declared again.</summary>
    public HashSet<string> GlobalArguments { get; } = new(StringComparer.Ordinal);

    /// <summary>This stage's own <c>EXPOSE</c> ports.</summary>
    public List<PublishedPort> Exposed { get; } = [];

    /// <summary>The stage and the stages it is built FROM, the oldest first.</summary>
    public IEnumerable<DockerStage> Lineage()
    {
        var chain = new List<DockerStage>();
        for (var s = this; s is not null && chain.Count < 64; s = s.Base) chain.Add(s);
        chain.Reverse();
        return chain;
    }
}

/// <summary>Line-based reader for Dockerfiles; compose files and manifests are read as YAML (<see cref="ComposeReader"/>).</summary>
public static class ContainerFileReader
{
    private static readonly Regex From = new(@"^\s*FROM\s+(?:--platform=\S+\s+)?(?<image>\S+)(?:\s+AS\s+(?<alias>\S+))?", RegexOptions.IgnoreCase);
    private static readonly Regex Env = new(@"^\s*ENV\s+(?<rest>.+)$", RegexOptions.IgnoreCase);
    private static readonly Regex Workdir = new(@"^\s*WORKDIR\s+(?<dir>.+?)\s*$", RegexOptions.IgnoreCase);
    private static readonly Regex Copy = new(@"^\s*(?<op>COPY|ADD)\s+(?<args>.+)$", RegexOptions.IgnoreCase);
    private static readonly Regex Arg = new(@"^\s*ARG\s+(?<rest>.+)$", RegexOptions.IgnoreCase);
    private static readonly Regex Expose = new(@"^\s*EXPOSE\s+(?<rest>.+)$", RegexOptions.IgnoreCase);
    // Every pattern runs in time linear in the line: a key starts only where no key character precedes it, and values
    // are taken greedily to the end of the (right-trimmed) line, so a 10 MiB line cannot make a match quadratic.
    private static readonly Regex Pair = new(@"(?<![A-Za-z0-9_.\-])(?<key>[A-Za-z_][A-Za-z0-9_.\-]*)=(?<value>""(?:[^""\\]|\\.)*""|'[^']*'|\S*)");

    /// <summary>Reads a Dockerfile: every stage, the final one being the image.</summary>
    public static (ContainerFacts Facts, DockerStage? Final) ReadDockerfile(string path, string text)
    {
        var stages = new List<DockerStage>();
        var globalArgs = new Dictionary<string, string?>(StringComparer.Ordinal);
        DockerStage? stage = null;
        foreach (var (lineNo, line) in JoinContinuations(text))
        {
            var m = Arg.Match(line);
            if (m.Success)
            {
                ReadArg(m.Groups["rest"].Value, stage, globalArgs);
                continue;
            }
            m = From.Match(line);
            if (m.Success)
            {
                var image = m.Groups["image"].Value;
                var col = line.IndexOf(image, StringComparison.Ordinal) + 1;
                var parent = stages.LastOrDefault(s => string.Equals(s.Name, image, StringComparison.OrdinalIgnoreCase));
                stage = new DockerStage
                {
                    Name = m.Groups["alias"].Success ? m.Groups["alias"].Value : null, Base = parent,
                    Image = parent?.Image ?? (image, SourceLocation.OnLine(path, lineNo, col, image.Length)),
                    WorkingDirectory = parent?.WorkingDirectory ?? "/",
                };
                stage.GlobalArguments.UnionWith(globalArgs.Keys);
                stages.Add(stage);
                continue;
            }
            if (stage is null) continue;
            if ((m = Env.Match(line)).Success) ReadEnv(path, lineNo, line, m.Groups["rest"].Value, stage);
            else if ((m = Workdir.Match(line)).Success) stage.WorkingDirectory = ContainerPaths.Combine(stage.WorkingDirectory, Substitute(Unquote(m.Groups["dir"].Value), stage) ?? "");
            else if ((m = Copy.Match(line)).Success && ReadCopy(path, lineNo, line, m, stage, stages) is { } copy) stage.Copies.Add(copy);
            else if ((m = Expose.Match(line)).Success)
                foreach (var port in m.Groups["rest"].Value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
                    if (ComposeReader.Port(port.Split('/')[0]) is { } n)
                        stage.Exposed.Add(new PublishedPort(n, null, SourceLocation.OnLine(path, lineNo, line.IndexOf(port, StringComparison.Ordinal) + 1, port.Length)));
        }

        var final = stage;
        var lineage = final?.Lineage().ToList() ?? [];
        var facts = new ContainerFacts
        {
            Path = path, BaseImage = final?.Image,
            Environment = lineage.SelectMany(s => s.Environment).ToList(),
            Copies = lineage.SelectMany(s => s.Copies).ToList(),
            MentionsCaCertificates = text.Contains("ca-certificates"),
            Exposed = lineage.SelectMany(s => s.Exposed).ToList(),
        };
        return (facts, final);
    }

    // docs/evidence/kestrel.md#round3-arg: an ARG before the first FROM is visible to FROM lines only; inside a stage it must be
    // declared again (then it takes the global default). A stage ARG without a default is set by --build-arg or empty.
    private static void ReadArg(string rest, DockerStage? stage, Dictionary<string, string?> globalArgs)
    {
        foreach (Match p in Pair.Matches(rest))
        {
            var value = Unquote(p.Groups["value"].Value);
            if (stage is null) globalArgs[p.Groups["key"].Value] = value;
            else stage.Arguments[p.Groups["key"].Value] = Substitute(value, stage);
        }
        foreach (var name in rest.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Where(n => n.IndexOf('=') < 0))
        {
            if (stage is null) globalArgs[name] = globalArgs.TryGetValue(name, out var g) ? g : null;
            else stage.Arguments[name] = globalArgs.TryGetValue(name, out var g) && g is not null ? g : null;
        }
    }

    /// <summary>
    /// Docker's substitution of <c>$NAME</c>, <c>${NAME}</c>, <c>${NAME:-word}</c>, <c>${NAME:+word}</c> with the stage's
    /// ARGs and the ENV of its lineage; a name neither declares stays as written (the base image may set it). A global
    /// ARG not re-declared in the stage is empty. Null when an ARG only a <c>--build-arg</c> can set is used.
    /// </summary>
    internal static string? Substitute(string value, DockerStage stage)
    {
        if (value.IndexOf('$') < 0) return value;
        var sb = new System.Text.StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\' && i + 1 < value.Length && value[i + 1] == '$') { sb.Append('$'); i++; continue; }
            if (c != '$' || i + 1 >= value.Length) { sb.Append(c); continue; }
            var braced = value[i + 1] == '{';
            var start = braced ? i + 2 : i + 1;
            var end = start;
            while (end < value.Length && (char.IsLetterOrDigit(value[end]) || value[end] == '_')) end++;
            if (end == start) { sb.Append(c); continue; }
            var name = value.Substring(start, end - start);
            string? modifier = null, word = null;
            var close = end;
            if (braced)
            {
                close = value.IndexOf('}', end);
                if (close < 0) { sb.Append(c); continue; }
                if (close > end + 1 && value[end] == ':' && (value[end + 1] == '-' || value[end + 1] == '+'))
                    (modifier, word) = (value.Substring(end, 2), value.Substring(end + 2, close - end - 2));
                close++;
            }
            var known = Lookup(name, stage, out var v);
            if (!known) { sb.Append(value, i, close - i); i = close - 1; continue; }
            if (v is null && modifier is null) return null;
            var text = modifier switch
            {
                ":-" => string.IsNullOrEmpty(v) ? word : v,
                ":+" => string.IsNullOrEmpty(v) ? "" : word,
                _ => v,
            };
            if (text is null) return null;
            sb.Append(text);
            i = close - 1;
        }
        return sb.ToString();
    }

    // ARGs of this stage win over ENV of the same name set before them; ENV of the lineage, the latest first.
    private static bool Lookup(string name, DockerStage stage, out string? value)
    {
        foreach (var s in stage.Lineage().Reverse())
        {
            var env = s.Environment.LastOrDefault(e => e.Key == name);
            if (env is not null) { value = env.Value; return true; }
            if (s == stage && s.Arguments.TryGetValue(name, out value)) return true;
        }
        value = stage.GlobalArguments.Contains(name) ? "" : null;
        return value is not null;
    }

    private static void ReadEnv(string path, int lineNo, string line, string rest, DockerStage stage)
    {
        var env = new List<ConfigEntry>();
        ReadEnvPairs(path, lineNo, line, rest, env);
        foreach (var e in env)
            if (Substitute(e.Value ?? "", stage) is { } value) stage.Environment.Add(e with { Value = value });
    }

    private static void ReadEnvPairs(string path, int lineNo, string line, string rest, List<ConfigEntry> env)
    {
        var restCol = line.IndexOf(rest, StringComparison.Ordinal);
        var pairs = Pair.Matches(rest);
        if (pairs.Count == 0)
        {
            var parts = rest.Trim().Split([' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries); // legacy "ENV KEY value"
            if (parts.Length == 2) env.Add(Entry(path, lineNo, restCol + 1, parts[0], Unquote(parts[1].Trim()), restCol + rest.IndexOf(parts[1], StringComparison.Ordinal) + 1));
            return;
        }
        foreach (Match p in pairs)
            env.Add(Entry(path, lineNo, restCol + p.Index + 1, p.Groups["key"].Value, Unquote(p.Groups["value"].Value), restCol + p.Groups["value"].Index + 1));
    }

    private static DockerCopy? ReadCopy(string path, int lineNo, string line, Match m, DockerStage stage, List<DockerStage> stages)
    {
        var args = SplitArguments(m.Groups["args"].Value);
        string? from = null;
        var operands = new List<string>();
        foreach (var a in args)
        {
            if (operands.Count == 0 && a.StartsWith("--", StringComparison.Ordinal))
            {
                if (a.StartsWith("--from=", StringComparison.OrdinalIgnoreCase)) from = a.Substring("--from=".Length);
                continue;
            }
            operands.Add(a);
        }
        if (operands.Count < 2) return null;
        var sources = operands.Take(operands.Count - 1).Where(s => !s.Contains("://")).ToList(); // ADD <url>: not from the repository
        if (sources.Count == 0) return null;
        var dest = operands[operands.Count - 1];
        DockerStage? fromStage = null;
        if (from is not null)
            fromStage = int.TryParse(from, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
                ? (index < stages.Count - 1 ? stages[index] : null)
                : stages.LastOrDefault(s => s != stage && string.Equals(s.Name, from, StringComparison.OrdinalIgnoreCase));
        var col = m.Groups["op"].Index + 1;
        return new DockerCopy
        {
            Sources = sources,
            Destination = ContainerPaths.Combine(stage.WorkingDirectory, dest),
            DestinationIsFolder = (dest.Length > 0 && dest[dest.Length - 1] == '/') || dest is "." or ".." || sources.Count > 1,
            FromStage = fromStage, FromImage = from is not null && fromStage is null ? from : null,
            Location = SourceLocation.OnLine(path, lineNo, col, Math.Max(1, line.TrimEnd().Length - col + 1)),
            Text = line.Trim(),
        };
    }

    // COPY ["a b", "dest/"] (JSON form) or COPY a b dest/.
    private static List<string> SplitArguments(string args)
    {
        var t = args.Trim();
        var flags = new List<string>();
        while (t.StartsWith("--", StringComparison.Ordinal))
        {
            var space = t.IndexOfAny([' ', '\t']);
            if (space < 0) break;
            flags.Add(t.Substring(0, space));
            t = t.Substring(space).TrimStart();
        }
        if ((t.Length > 0 && t[0] == '[') && (t.Length > 0 && t[t.Length - 1] == ']'))
            return flags.Concat(JsonStrings(t)).ToList();
        return flags.Concat(t.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)).ToList();
    }

    // The strings of a JSON array, scanned once (a regex could backtrack quadratically on a hostile line).
    private static IEnumerable<string> JsonStrings(string array)
    {
        var current = new System.Text.StringBuilder();
        var inString = false;
        for (var i = 0; i < array.Length; i++)
        {
            var c = array[i];
            if (!inString) { if (c == '"') { inString = true; current.Clear(); } continue; }
            if (c == '\\' && i + 1 < array.Length) { current.Append(array[++i]); continue; }
            if (c == '"') { inString = false; yield return current.ToString(); continue; }
            current.Append(c);
        }
    }

    internal static ConfigEntry Entry(string path, int line, int keyCol, string key, string value, int valueCol) =>
        new(key, value, SourceLocation.OnLine(path, line, keyCol, key.Length), SourceLocation.OnLine(path, line, valueCol, Math.Max(1, value.Length)), path);

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

/// <summary>Paths inside a Linux container: '/'-separated, absolute, '.' and '..' resolved.</summary>
public static class ContainerPaths
{
    /// <summary><paramref name="path"/> against <paramref name="directory"/>, normalised.</summary>
    public static string Combine(string directory, string path)
    {
        var p = path.Replace('\\', '/');
        var full = (p.Length > 0 && p[0] == '/') ? p : directory.TrimEnd('/') + "/" + p;
        var parts = new List<string>();
        foreach (var segment in full.Split('/'))
        {
            if (segment.Length == 0 || segment == ".") continue;
            if (segment == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(segment);
        }
        return "/" + string.Join("/", parts);
    }

    /// <summary>The part of <paramref name="path"/> below <paramref name="folder"/> ("" when equal), or null when not inside.</summary>
    public static string? Below(string path, string folder)
    {
        if (path == folder) return "";
        var prefix = folder == "/" ? "/" : folder + "/";
        return path.StartsWith(prefix, StringComparison.Ordinal) ? path.Substring(prefix.Length) : null;
    }

    /// <summary>The last segment.</summary>
    public static string Name(string path) => path.Substring(path.TrimEnd('/').LastIndexOf('/') + 1).TrimEnd('/');
}

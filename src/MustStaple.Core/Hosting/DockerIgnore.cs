using MustStaple.Diagnostics;
using MustStaple.Discovery;

namespace MustStaple.Hosting;

/// <summary>
/// A build context's <c>.dockerignore</c> as BuildKit applies it: one pattern a line (<c>#</c> comments), paths relative
/// to the context (a leading <c>/</c> dropped), <c>*</c> and <c>?</c> within a segment, <c>**</c> across segments,
/// <c>!</c> re-including; the last matching pattern decides, and an excluded folder excludes what it holds.
/// </summary>
public sealed class DockerIgnore
{
    /// <summary>Patterns read from one file; the rest are ignored (a hostile file stays linear).</summary>
    public const int MaxPatterns = 1000;

    private readonly List<(string[] Segments, bool Exception, SourceLocation Location)> _patterns;

    private DockerIgnore(List<(string[], bool, SourceLocation)> patterns) => _patterns = patterns;

    /// <summary>Parses the file's text.</summary>
    public static DockerIgnore Read(string path, string text)
    {
        var patterns = new List<(string[], bool, SourceLocation)>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length && patterns.Count < MaxPatterns; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var body = line.Trim();
            if (body.Length == 0 || body[0] == '#') continue;
            var exception = body[0] == '!';
            var pattern = (exception ? body.Substring(1) : body).Trim().Replace('\\', '/');
            var segments = ContainerPaths.Combine("/", pattern).Split(['/'], StringSplitOptions.RemoveEmptyEntries);
            if (segments.Length == 0) continue;
            var col = line.IndexOf(body, StringComparison.Ordinal) + 1;
            patterns.Add((segments, exception, SourceLocation.OnLine(path, i + 1, col, body.Length)));
        }
        return new DockerIgnore(patterns);
    }

    /// <summary>The pattern line that excludes <paramref name="relative"/> ('/'-separated, relative to the context), or null when it is sent.</summary>
    public SourceLocation? Excludes(string relative)
    {
        var path = ContainerPaths.Combine("/", relative).Split(['/'], StringSplitOptions.RemoveEmptyEntries);
        if (path.Length == 0) return null;
        SourceLocation? result = null;
        foreach (var (segments, exception, location) in _patterns)
        {
            // A pattern matches the path or one of its parent folders.
            var matches = false;
            for (var n = 1; n <= path.Length && !matches; n++) matches = Match(segments, path, n);
            if (matches) result = exception ? null : location;
        }
        return result;
    }

    // Segment-wise glob with '**' matching any number of segments: dynamic programming, O(pattern × path).
    private static bool Match(string[] pattern, string[] path, int count)
    {
        var row = new bool[count + 1];
        row[0] = true;
        foreach (var p in pattern)
        {
            var next = new bool[count + 1];
            if (p == "**")
            {
                var any = false;
                for (var j = 0; j <= count; j++) { any |= row[j]; next[j] = any; }
            }
            else
            {
                for (var j = 1; j <= count; j++) next[j] = row[j - 1] && Wildcard.Matches(path[j - 1], p);
            }
            row = next;
        }
        return row[count];
    }
}

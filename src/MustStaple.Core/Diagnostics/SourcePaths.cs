namespace MustStaple.Diagnostics;

/// <summary>The one place that decides whether a path lies under a folder, and how it reads relative to it.</summary>
public static class SourcePaths
{
    /// <summary><paramref name="path"/> relative to <paramref name="root"/> (native separators), or null when outside it.</summary>
    public static string? RelativeTo(string path, string root)
    {
        if (root.Length == 0) return null;
        var prefix = root.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, StringComparison.Ordinal) ? path.Substring(prefix.Length) : null;
    }
}

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

    /// <summary>True when <see cref="RelativeTo"/> would not be null: the same test, without building the relative path.</summary>
    public static bool IsUnder(string path, string root)
    {
        if (root.Length == 0) return false;
        var end = root.Length;
        while (end > 0 && (root[end - 1] == Path.DirectorySeparatorChar || root[end - 1] == Path.AltDirectorySeparatorChar)) end--;
        return path.Length > end && path[end] == Path.DirectorySeparatorChar && string.CompareOrdinal(path, 0, root, 0, end) == 0;
    }
}

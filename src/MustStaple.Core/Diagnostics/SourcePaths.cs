namespace MustStaple.Diagnostics;

/// <summary>The one place that decides whether a path lies under a folder, and how it reads relative to it.</summary>
public static class SourcePaths
{
    /// <summary><paramref name="path"/> relative to <paramref name="root"/> (native separators), or null when outside it.</summary>
    public static string? RelativeTo(string path, string root) =>
        RootEnd(path, root) is var end and >= 0 ? path.Substring(end + 1) : null;

    /// <summary>True when <see cref="RelativeTo"/> would not be null: the same test, without building the relative path.</summary>
    public static bool IsUnder(string path, string root) => RootEnd(path, root) >= 0;

    // The length of root without its trailing separators when path continues it with a separator; -1 otherwise.
    private static int RootEnd(string path, string root)
    {
        if (root.Length == 0) return -1;
        var end = root.Length;
        while (end > 0 && (root[end - 1] == Path.DirectorySeparatorChar || root[end - 1] == Path.AltDirectorySeparatorChar)) end--;
        return path.Length > end && path[end] == Path.DirectorySeparatorChar && string.CompareOrdinal(path, 0, root, 0, end) == 0 ? end : -1;
    }
}

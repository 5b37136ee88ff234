namespace MustStaple.Sarif;

/// <summary>
/// The one way both fronts write a file (the SARIF log, the build's stamp and hash files): never through a symbolic
/// link, never half-written. The bytes go to a new temporary file beside the target, which is then renamed over it
/// (a rename replaces the directory entry; it never follows a link). A link at the target is refused, not followed.
/// </summary>
public static class OutputFile
{
    /// <summary>
    /// Writes <paramref name="bytes"/> to <paramref name="path"/> unless it already holds exactly them. Returns null, or
    /// a one-line problem (the target is a symbolic link or not a regular file, or the OS refused).
    /// </summary>
    public static string? WriteIfChanged(string path, byte[] bytes) => Write(path, bytes, onlyIfChanged: true);

    /// <summary>
    /// Writes <paramref name="bytes"/> to <paramref name="path"/> even when it already holds them, so its time moves:
    /// for a file that serves as an MSBuild target's output (a stamp), which must be newer than every input after
    /// each run of its target. Returns null, or a one-line problem as <see cref="WriteIfChanged"/> does.
    /// </summary>
    public static string? Write(string path, byte[] bytes) => Write(path, bytes, onlyIfChanged: false);

    private static string? Write(string path, byte[] bytes, bool onlyIfChanged)
    {
        var full = Path.GetFullPath(path);
        string? temp = null;
        try
        {
            var info = new FileInfo(full);
            if (IsLink(info)) return $"'{full}' is a symbolic link; refusing to write through it (remove the link)";
            if (Directory.Exists(full)) return $"'{full}' is a folder";
            if (onlyIfChanged && info.Exists && info.Length == bytes.Length && SameBytes(full, bytes)) return null;
            var directory = Path.GetDirectoryName(full)!;
            Directory.CreateDirectory(directory);
            temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                stream.Write(bytes, 0, bytes.Length);
#if NETFRAMEWORK
            if (File.Exists(full)) File.Replace(temp, full, null);
            else File.Move(temp, full);
#else
            File.Move(temp, full, overwrite: true);
#endif
            temp = null;
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return $"'{full}' could not be written: {ex.Message}";
        }
        finally
        {
            if (temp is not null) TryDelete(temp);
        }
    }

    /// <summary>Deletes <paramref name="path"/> (a link itself, never its target); returns a problem or null.</summary>
    public static string? Delete(string path)
    {
        try
        {
            File.Delete(Path.GetFullPath(path));
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"'{path}' could not be deleted: {ex.Message}";
        }
    }

    /// <summary>True when <paramref name="info"/> is a symbolic link (or another reparse point), dangling or not.</summary>
    public static bool IsLink(FileSystemInfo info)
    {
#if NETFRAMEWORK
        return info.Exists && (info.Attributes & FileAttributes.ReparsePoint) != 0;
#else
        return info.LinkTarget is not null;
#endif
    }

    // The target is a regular file (not a link) of the right length: read it as inputs are read, never past that length.
    private static bool SameBytes(string path, byte[] bytes)
    {
        var read = Discovery.InputFile.Read(path, Path.GetDirectoryName(path)!, bytes.Length);
        return read.Bytes is { } existing && existing.AsSpan().SequenceEqual(bytes);
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
    }
}

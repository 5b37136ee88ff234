using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace MustStaple.Discovery;

/// <summary>Why an input was not read.</summary>
public enum InputRefusal
{
    /// <summary>Read.</summary>
    None,

    /// <summary>Nothing exists at the path.</summary>
    Missing,

    /// <summary>The path, or a link along it, leads outside the source root: never opened.</summary>
    OutsideRoot,

    /// <summary>The path holds a NUL or another character no file name can hold.</summary>
    InvalidPath,

    /// <summary>A pipe, socket, device or folder, not a regular file.</summary>
    NotRegularFile,

    /// <summary>More bytes than the size cap.</summary>
    TooLarge,

    /// <summary>The operating system refused to read it (permissions, I/O error, a link loop).</summary>
    Unreadable,
}

/// <summary>The outcome of <see cref="InputFile.Read"/>: the bytes, or why there are none (in words, for a diagnostic).</summary>
public readonly record struct InputRead(byte[]? Bytes, InputRefusal Refusal, Localization.LocalizedText? Problem)
{
    /// <summary>True when the bytes were read.</summary>
    public bool IsRead => Bytes is not null;
}

/// <summary>
/// The one way the lint opens an input. It runs on untrusted pull requests, so: a path whose real location (every
/// symbolic link along it resolved) is outside the source root is refused without being opened; only regular files
/// are read (a FIFO is opened non-blocking and refused, never waited on); at most the cap plus one byte is read,
/// whatever the file claims its size is.
/// </summary>
public static class InputFile
{
    /// <summary>No input the lint reads is larger than this (10 MiB).</summary>
    public const long MaxSize = 10 * 1024 * 1024;

    private const int MaxLinkHops = 40; // as the kernel's own ELOOP limit

    private static readonly ConcurrentDictionary<string, string?> RealFolders = new(StringComparer.Ordinal);

    /// <summary>Reads <paramref name="path"/> if it really lies under <paramref name="sourceRoot"/> and is a regular file of at most <paramref name="cap"/> bytes.</summary>
    public static InputRead Read(string path, string sourceRoot, long cap = MaxSize) => Read(path, sourceRoot, cap, truncate: false);

    /// <summary>
    /// The first <paramref name="count"/> bytes of <paramref name="path"/> (fewer when the file is shorter), under the same
    /// guards as <see cref="Read(string, string, long)"/>: to tell a script from a binary without reading it whole.
    /// </summary>
    public static InputRead ReadHead(string path, string sourceRoot, int count) => Read(path, sourceRoot, count, truncate: true);

    private static InputRead Read(string path, string sourceRoot, long cap, bool truncate)
    {
        if (HasInvalidCharacters(path)) return Refuse(InputRefusal.InvalidPath, "Refusal.InvalidCharacters");
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return Refuse(InputRefusal.InvalidPath, "Refusal.InvalidName");
        }
#if NET
        if (TryReadDirect(full, sourceRoot, cap, truncate) is { } direct) return direct;
#endif
        var (check, real) = Locate(full, sourceRoot);
        if (check.Refusal != InputRefusal.None) return check;
        try
        {
            return ReadCapped(real!, cap, truncate);
        }
        catch (FileNotFoundException)
        {
            return Refuse(InputRefusal.Missing, "Refusal.Missing");
        }
        catch (DirectoryNotFoundException)
        {
            return Refuse(InputRefusal.Missing, "Refusal.Missing");
        }
        catch (UnauthorizedAccessException)
        {
            return Refuse(InputRefusal.Unreadable, "Refusal.PermissionDenied");
        }
        catch (IOException ex)
        {
            return new(null, InputRefusal.Unreadable, Localization.LocalizedText.Plain(ex.Message));
        }
    }

    /// <summary>
    /// True when <paramref name="path"/> (absolute) really lies under <paramref name="sourceRoot"/>: lexically, and with
    /// every symbolic link along it resolved. Opens nothing.
    /// </summary>
    public static bool IsUnderRoot(string path, string sourceRoot) =>
        !HasInvalidCharacters(path) && Locate(Path.GetFullPath(path), sourceRoot).Check.Refusal == InputRefusal.None;

    /// <summary>True when <paramref name="path"/> holds a NUL, a control character, or a character the platform refuses in paths.</summary>
    public static bool HasInvalidCharacters(string path)
    {
        foreach (var c in path)
            if (c == '\0' || (c < ' ' && c != '\t')) return true;
        return path.IndexOfAny(InvalidPathChars) >= 0;
    }

    private static readonly char[] InvalidPathChars = Path.GetInvalidPathChars(); // a fresh copy per call otherwise

    /// <summary>
    /// True when <paramref name="path"/> is a folder that really lies under <paramref name="sourceRoot"/>. Like every
    /// check here it never lists, stats or reads a link past the first link that leaves the root.
    /// </summary>
    public static bool IsFolderUnderRoot(string path, string sourceRoot) =>
        RealPathUnder(path, sourceRoot) is { } real && Directory.Exists(real);

    /// <summary>
    /// The real path of <paramref name="path"/> (every link along it resolved) when it lies under
    /// <paramref name="sourceRoot"/>; null when it does not, or when a link along it leaves the root (not followed further).
    /// </summary>
    public static string? RealPathUnder(string path, string sourceRoot)
    {
        if (HasInvalidCharacters(path)) return null;
        try
        {
            var full = Path.GetFullPath(path);
            var root = Path.GetFullPath(sourceRoot);
            if (!IsWithin(full, root)) return null;
            var realRoot = RealFolder(root, null) ?? root;
            var real = RealPath(full, new Bound(root, realRoot));
            return real is not null && IsWithin(real, realRoot) ? real : null;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or NotSupportedException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // The source root, as written and with its own links resolved: a link inside it whose target lies outside both is
    // never followed, so nothing past it is stat'ed or read as a link.
    private readonly record struct Bound(string Root, string RealRoot);

    // The real location of `full` when it lies inside the source root; else why not.
    private static (InputRead Check, string? Real) Locate(string full, string sourceRoot)
    {
        var root = Path.GetFullPath(sourceRoot);
        if (!IsWithin(full, root)) return (Refuse(InputRefusal.OutsideRoot, "Refusal.OutsideRoot"), null);
        var realRoot = RealFolder(root, null) ?? root;
        string? real;
        try
        {
            real = RealPath(full, new Bound(root, realRoot));
        }
        catch (IOException)
        {
            return (Refuse(InputRefusal.Unreadable, "Refusal.LinkLoop"), null);
        }
        if (real is null || !IsWithin(real, realRoot))
            return (Refuse(InputRefusal.OutsideRoot, "Refusal.LinkOutside"), null);
        if (Directory.Exists(real)) return (Refuse(InputRefusal.NotRegularFile, "Refusal.Folder"), null);
        return (new InputRead(null, InputRefusal.None, null), real);
    }

    private static bool IsWithin(string path, string root) =>
        string.Equals(path, root, StringComparison.Ordinal)
        || path.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static InputRead Refuse(InputRefusal refusal, string key, params object?[] args) => new(null, refusal, Localization.Texts.Input.Text(key, args));

    /// <summary>The real path of <paramref name="full"/>: its folder's real path (cached) plus the file, itself resolved if a link.</summary>
    private static string? RealPath(string full, Bound? bound)
    {
        var parent = Path.GetDirectoryName(full);
        if (parent is null) return full;
        var realParent = RealFolder(parent, bound);
        return realParent is null ? null : Resolve(Path.Combine(realParent, Path.GetFileName(full)), 0, bound);
    }

    private static string? RealFolder(string folder, Bound? bound) =>
        RealFolders.GetOrAdd(bound is { } b ? b.Root + "\0" + folder : folder, _ =>
        {
            var parent = Path.GetDirectoryName(folder);
            if (parent is null) return folder;
            var realParent = RealFolder(parent, bound);
            return realParent is null ? null : Resolve(Path.Combine(realParent, Path.GetFileName(folder)), 0, bound);
        });

    // Resolves links on the last component of a path whose folder is already real; a link's target is resolved in turn,
    // unless the link lies inside the root and its target outside it: then the path leads outside (null), and nothing
    // beyond the link is touched.
    private static string? Resolve(string path, int hops, Bound? bound)
    {
#if NET
        var target = new FileInfo(path).LinkTarget;
        if (target is null) return path;
        if (hops >= MaxLinkHops) throw new IOException("too many levels of symbolic links");
        var parent = Path.GetDirectoryName(path)!;
        var full = Path.GetFullPath(Path.IsPathRooted(target) ? target : Path.Combine(parent, target));
        if (bound is { } b && IsWithin(path, b.RealRoot) && !IsWithin(full, b.Root) && !IsWithin(full, b.RealRoot)) return null;
        var realParent = Path.GetDirectoryName(full) is { } p ? RealFolderWithin(p, hops + 1, bound) : null;
        return realParent is null ? (Path.GetDirectoryName(full) is null ? full : null) : Resolve(Path.Combine(realParent, Path.GetFileName(full)), hops + 1, bound);
#else
        // .NET Framework has no link API: a reparse point (symbolic link, junction) is not followed.
        try
        {
            return File.Exists(path) || Directory.Exists(path)
                ? (File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0 ? null : path
                : path;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return path;
        }
#endif
    }

#if NET
    private static string? RealFolderWithin(string folder, int hops, Bound? bound)
    {
        if (hops >= MaxLinkHops) throw new IOException("too many levels of symbolic links");
        var parent = Path.GetDirectoryName(folder);
        if (parent is null) return folder;
        var realParent = RealFolderWithin(parent, hops, bound);
        return realParent is null ? null : Resolve(Path.Combine(realParent, Path.GetFileName(folder)), hops, bound);
    }
#endif

#if NET
    // The common case in three system calls and a read: a regular file (not itself a link) in a folder whose real path
    // is cached. open(2) with O_NOFOLLOW refuses a link in the last component, so no readlink(2) or stat(2) is needed
    // to know the file is what its path says. Anything else (a link, a folder, a FIFO, a missing or unreadable file, an
    // error of any kind) returns null: the full check below decides, with its own words, exactly as before.
    private static InputRead? TryReadDirect(string full, string sourceRoot, long cap, bool truncate)
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return null;
        var parent = Path.GetDirectoryName(full);
        if (parent is null) return null;
        string real;
        try
        {
            var root = Path.GetFullPath(sourceRoot);
            if (!IsWithin(full, root)) return null;
            var realRoot = RealFolder(root, null) ?? root;
            if (RealFolder(parent, new Bound(root, realRoot)) is not { } realParent) return null;
            real = Path.Combine(realParent, Path.GetFileName(full));
            if (!IsWithin(real, realRoot)) return null;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or NotSupportedException or UnauthorizedAccessException)
        {
            return null;
        }
        var fd = Native.Open(real);
        if (fd < 0) return null;
        using var handle = new SafeFileHandle((IntPtr)fd, ownsHandle: true);
        try
        {
            var limit = (int)Math.Min(truncate ? cap : cap + 1, int.MaxValue);
            // RandomAccess refuses a handle that cannot seek (a FIFO, a socket): that one goes the long way. The buffer is
            // one byte longer than the size fstat reports (up to the limit): the short read at the end says the file ends
            // there, in one pread(2) instead of a second one for the end (copying a few KB back is cheaper in this VM than a
            // system call). A file longer than it said (growing while read) goes the long way too.
            var size = (int)Math.Min(Math.Max(RandomAccess.GetLength(handle), 0), limit);
            var buffer = new byte[size < limit ? size + 1 : size];
            var total = 0;
            while (total < buffer.Length)
            {
                var n = RandomAccess.Read(handle, buffer.AsSpan(total), total);
                if (n <= 0) break;
                total += n;
                if (total >= size && total < buffer.Length) break; // short at the reported size: the end of the file
            }
            if (total > size) return null;
            if (total > cap) return Refuse(InputRefusal.TooLarge, "Refusal.TooLarge", Describe(cap));
            if (total != buffer.Length) Array.Resize(ref buffer, total);
            return new InputRead(buffer, InputRefusal.None, null);
        }
        catch (Exception ex) when (ex is IOException or NotSupportedException or UnauthorizedAccessException or ArgumentException)
        {
            return null; // a folder (EISDIR), a FIFO, an I/O error: the full check words it
        }
    }
#endif

    private static InputRead ReadCapped(string full, long cap, bool truncate)
    {
        using var stream = Open(full);
        if (stream is null) return Refuse(InputRefusal.NotRegularFile, "Refusal.NotRegularFile");
        var limit = (int)Math.Min(truncate ? cap : cap + 1, int.MaxValue);
        var hint = stream.CanSeek ? (int)Math.Min(Math.Max(stream.Length, 0) + 1, limit) : 4096;
        var buffer = new byte[Math.Max(hint, 1)];
        var total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                if (buffer.Length >= limit) break;
                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, limit));
            }
            var n = stream.Read(buffer, total, buffer.Length - total);
            if (n <= 0) break;
            total += n;
        }
        if (total > cap) return Refuse(InputRefusal.TooLarge, "Refusal.TooLarge", Describe(cap));
        if (total != buffer.Length) Array.Resize(ref buffer, total);
        return new InputRead(buffer, InputRefusal.None, null);
    }

    private static string Describe(long cap) =>
        cap % (1024 * 1024) == 0 ? $"{cap / (1024 * 1024)} MiB" : $"{cap} bytes";

    /// <summary>Opens for reading without ever blocking; null when the opened handle is not a regular (seekable) file.</summary>
    private static FileStream? Open(string full)
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            return new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        // open(2) of a FIFO blocks until a writer appears: open non-blocking (and not through a link swapped in since the
        // check), then keep only handles that support random access — regular files do; FIFOs, pipes and sockets do not.
        var fd = Native.Open(full);
        if (fd < 0)
        {
            var errno = Marshal.GetLastWin32Error();
            throw errno switch
            {
                2 => new FileNotFoundException(),
                13 or 1 => new UnauthorizedAccessException(),
                40 or 62 => new IOException("it is a symbolic link that changed while it was read"), // ELOOP (Linux, macOS)
                _ => new IOException($"the system refused to open it (error {errno})"),
            };
        }
        var handle = new SafeFileHandle((IntPtr)fd, ownsHandle: true);
        var stream = new FileStream(handle, FileAccess.Read, 1);
        if (stream.CanSeek) return stream;
        stream.Dispose();
        return null;
    }

    private static class Native
    {
        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        private static extern int OpenNative(byte[] path, int flags);

        public static int Open(string path)
        {
            var bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(path) + 1];
            System.Text.Encoding.UTF8.GetBytes(path, 0, path.Length, bytes, 0);
            return OpenNative(bytes, Flags);
        }

        // O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC; the values differ between Linux architectures and macOS.
        private static readonly int Flags =
            RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? 0x4 | 0x100 | 0x1000000
            : RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x800 | 0x8000 | 0x80000
            : 0x800 | 0x20000 | 0x80000;
    }
}

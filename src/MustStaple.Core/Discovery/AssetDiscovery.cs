using MustStaple.Diagnostics;
using Microsoft.Extensions.FileSystemGlobbing;

namespace MustStaple.Discovery;

/// <summary>
/// Walks the paths of a request and finds every input. Skips <c>bin/ obj/ .git/ node_modules/</c>
/// unless an include pattern reaches into them; follows a symbolic link to a folder only when its real location lies
/// inside the source root, and only once (a link loop ends the walk there); never opens a file.
/// </summary>
public static class AssetDiscovery
{
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.OrdinalIgnoreCase)
    {
        "bin", "obj", ".git", "node_modules",
    };

    /// <summary>Finds the inputs under <paramref name="paths"/> (folders, project files or single files).</summary>
    public static AssetSet Discover(IReadOnlyList<string> paths, IReadOnlyList<string> include, IReadOnlyList<string> exclude)
    {
        var assets = new List<Asset>();
        var contentRoots = new List<string>();
        var includeMatcher = CreateMatcher(include);
        var excludeMatcher = CreateMatcher(exclude);
        string? sourceRoot = null;

        foreach (var input in paths)
        {
            var full = Path.GetFullPath(input);
            if (File.Exists(full))
            {
                var dir = Path.GetDirectoryName(full)!;
                sourceRoot ??= FindRepositoryRoot(dir);
                var kind = AssetClassifier.Classify(Path.GetFileName(full), dir);
                if (kind == AssetKind.Project)
                {
                    contentRoots.Add(dir);
                    Walk(dir, dir, sourceRoot, includeMatcher, excludeMatcher, assets, contentRoots);
                }
                else
                {
                    // A file named on the command line is a certificate unless its name says otherwise.
                    assets.Add(new Asset(full, kind is null or AssetKind.ScriptCandidate ? AssetKind.Certificate : kind.Value));
                }
                continue;
            }
            if (!Directory.Exists(full)) continue; // the front reports missing paths as usage errors
            sourceRoot ??= FindRepositoryRoot(full);
            contentRoots.Add(full);
            Walk(full, full, sourceRoot, includeMatcher, excludeMatcher, assets, contentRoots);
        }

        return new AssetSet(sourceRoot ?? Directory.GetCurrentDirectory(), assets, contentRoots);
    }

    /// <summary>The nearest folder at or above <paramref name="dir"/> holding <c>.git</c>; else <paramref name="dir"/>.</summary>
    public static string FindRepositoryRoot(string dir)
    {
        for (var d = new DirectoryInfo(dir); d is not null; d = d.Parent)
        {
            if (Directory.Exists(Path.Combine(d.FullName, ".git")) || File.Exists(Path.Combine(d.FullName, ".git")))
                return d.FullName;
        }
        return dir;
    }

    private static void Walk(string root, string start, string sourceRoot, Matcher? include, Matcher? exclude, List<Asset> assets, List<string> contentRoots)
    {
        var realSourceRoot = RealPath(sourceRoot);
        // Real paths are tracked so a folder reached twice (through a symbolic link) is walked once. Only links need
        // resolving: a plain sub-folder's real path is its parent's real path plus its name.
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<(string Dir, string Real, bool Skipped)>();
        pending.Push((start, RealPath(start), false));
        var matchPaths = include is not null || exclude is not null;
        while (pending.Count > 0)
        {
            var (dir, real, skipped) = pending.Pop();
            if (!visited.Add(real)) continue;
            List<Entry> entries;
            try
            {
                entries = List(dir);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.SecurityException)
            {
                continue; // an unreadable folder holds nothing we can lint
            }

            var hasProject = false;
            foreach (var entry in entries)
            {
                if (entry.IsDirectory)
                {
                    var skip = skipped || SkippedFolders.Contains(entry.Name);
                    if (skip && include is null) continue;
                    // A link is resolved only as far as the root: one that leaves it is not followed, listed or stat'ed beyond.
                    var subReal = IsLink(entry.FullPath) ? InputFile.RealPathUnder(entry.FullPath, sourceRoot) : Path.Combine(real, entry.Name);
                    // A link out of the source root (`ln -s / root`, `ln -s .. up` at the top) is never followed.
                    if (subReal is not null && SourcePaths.RelativeTo(subReal, realSourceRoot) is not null) pending.Push((entry.FullPath, subReal, skip));
                    continue;
                }
                var rel = matchPaths ? (SourcePaths.RelativeTo(entry.FullPath, root) ?? "").Replace('\\', '/') : "";
                var kind = AssetClassifier.Classify(entry.Name, dir);
                var included = include?.Match(rel).HasMatches == true;
                if (skipped && !included) continue;
                if (kind is null && !included) continue;
                if (exclude?.Match(rel).HasMatches == true) continue;
                var assetKind = kind ?? AssetKind.Certificate;
                if (assetKind == AssetKind.Project) hasProject = true;
                assets.Add(new Asset(entry.FullPath, assetKind));
            }
            if (hasProject && !skipped) contentRoots.Add(dir);
        }
    }

    // A class, not a struct: List<Entry> and FileSystemEnumerable<Entry> then share the framework's precompiled code for
    // reference types instead of ~38 methods JIT-compiled on every run of the JIT-compiled tool.
    private sealed record Entry(string Name, string FullPath, bool IsDirectory);

    // Names and kinds straight from the directory listing: no stat() per file (20,000 files cost ~40 ms of stat calls).
    private static List<Entry> List(string dir)
    {
#if NET
        var options = new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = false, RecurseSubdirectories = false };
        return new System.IO.Enumeration.FileSystemEnumerable<Entry>(dir,
            (ref System.IO.Enumeration.FileSystemEntry e) => new Entry(e.FileName.ToString(), e.ToFullPath(), e.IsDirectory), options).ToList();
#else
        return new DirectoryInfo(dir).EnumerateFileSystemInfos().Select(i => new Entry(i.Name, i.FullName, i is DirectoryInfo)).ToList();
#endif
    }

    private static bool IsLink(string dir)
    {
        try
        {
            return (File.GetAttributes(dir) & FileAttributes.ReparsePoint) != 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return true; // a name the system cannot stat again is not followed
        }
    }

    private static Matcher? CreateMatcher(IReadOnlyList<string> patterns)
    {
        if (patterns.Count == 0) return null;
        var matcher = new Matcher(StringComparison.OrdinalIgnoreCase);
        matcher.AddIncludePatterns(patterns);
        return matcher;
    }

    /// <summary>The path with every linked folder along it resolved (used once per walk, and for link targets).</summary>
    private static string RealPath(string dir)
    {
#if NET
        try
        {
            var target = new DirectoryInfo(dir).ResolveLinkTarget(returnFinalTarget: true);
            if (target is not null) return RealPath(target.FullName);
        }
        catch (IOException)
        {
            return dir;
        }
        var parent = Path.GetDirectoryName(dir);
        return parent is null ? dir : Path.Combine(RealPath(parent), Path.GetFileName(dir));
#else
        return dir;
#endif
    }
}

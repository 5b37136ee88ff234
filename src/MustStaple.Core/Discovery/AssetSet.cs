namespace MustStaple.Discovery;

/// <summary>A discovered input file: absolute path and kind.</summary>
public sealed record Asset(string Path, AssetKind Kind);

/// <summary>Every input the lint will read, by kind, sorted by path. Paths only: nothing is read yet.</summary>
public sealed class AssetSet
{
    /// <summary>Creates a set from discovered assets.</summary>
    public AssetSet(string sourceRoot, IEnumerable<Asset> assets, IEnumerable<string> contentRoots,
        IEnumerable<Certificates.LoadProblem>? problems = null)
    {
        Problems = problems?.ToArray() ?? [];
        SourceRoot = sourceRoot;
        All = assets.Distinct().OrderBy(a => a.Path, StringComparer.Ordinal).ToArray();
        ContentRoots = contentRoots.Distinct(StringComparer.Ordinal).OrderBy(r => r, StringComparer.Ordinal).ToArray();
        _byKind = new(() => All.GroupBy(a => a.Kind).ToDictionary(g => g.Key, g => g.ToArray()));
        _projectFolders = new(() => OfKind(AssetKind.Project).Select(a => Path.GetDirectoryName(a.Path)).Distinct(StringComparer.Ordinal).Count());
    }

    /// <summary>The folder SARIF paths are relative to (<c>%SRCROOT%</c>): the repository root.</summary>
    public string SourceRoot { get; }

    /// <summary>What the walk itself could not follow (a folder link out of the source root, a name no path can hold).</summary>
    public IReadOnlyList<Certificates.LoadProblem> Problems { get; }

    /// <summary>Every asset.</summary>
    public IReadOnlyList<Asset> All { get; }

    /// <summary>Folders that hold a project (or were named on the command line): each is a content root.</summary>
    public IReadOnlyList<string> ContentRoots { get; }

    /// <summary>Assets of one kind, in path order (indexed once: every reader asks per content root).</summary>
    public IEnumerable<Asset> OfKind(AssetKind kind) => _byKind.Value.TryGetValue(kind, out var list) ? list : [];

    /// <summary>How many distinct folders hold a project file.</summary>
    internal int ProjectFolderCount => _projectFolders.Value;

    /// <summary>Assets of one kind directly in <paramref name="folder"/>, in path order.</summary>
    public IReadOnlyList<Asset> InFolder(string folder, AssetKind kind) =>
        ByFolder(kind).TryGetValue(folder, out var list) ? list : [];

    // One index per kind asked for, built on first use from that kind's assets only (17,600 C# files need no folder index).
    private Dictionary<string, List<Asset>> ByFolder(AssetKind kind) =>
        _byFolder.GetOrAdd(kind, k =>
        {
            var index = new Dictionary<string, List<Asset>>(StringComparer.Ordinal);
            foreach (var a in OfKind(k))
            {
                var folder = Path.GetDirectoryName(a.Path) ?? "";
                if (!index.TryGetValue(folder, out var list)) index[folder] = list = [];
                list.Add(a);
            }
            return index;
        });

    private readonly System.Collections.Concurrent.ConcurrentDictionary<AssetKind, Dictionary<string, List<Asset>>> _byFolder = new();
    private readonly Lazy<Dictionary<AssetKind, Asset[]>> _byKind;
    private readonly Lazy<int> _projectFolders;
}

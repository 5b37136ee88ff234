using MustStaple.Diagnostics;
using MustStaple.Discovery;

namespace MustStaple.Kestrel;

/// <summary>
/// A container path that something provides: a repository file or folder (<see cref="HostPath"/>), or something
/// outside the repository (HostPath null: a named volume, a Kubernetes Secret, another image).
/// </summary>
public sealed record ContainerMount(string ContainerPath, string? HostPath, bool IsFolder, string Provider, SourceLocation Location)
{
    /// <summary>A COPY glob: only names in the folder matching it (<c>*.pfx</c>).</summary>
    public string? Pattern { get; init; }
}

/// <summary>Which mount provides a container path, and the host file it is (null when outside the repository's reach).</summary>
public sealed record Provision(ContainerMount Mount, string? HostPath);

/// <summary>
/// The files of the running container as far as the repository tells: the final image's COPY/ADD (followed through
/// <c>--from</c> stages to the build context) overlaid by compose volumes, secrets and configs, or Kubernetes mounts.
/// </summary>
public sealed class ContainerFileSystem
{
    private readonly List<ContainerMount> _mounts;

    private ContainerFileSystem(List<ContainerMount> mounts) => _mounts = mounts;

    /// <summary>Every mount, in the order later ones win.</summary>
    public IReadOnlyList<ContainerMount> Mounts => _mounts;

    /// <summary>Builds the file system: images first (each with its build context), then runtime mounts over them.</summary>
    public static ContainerFileSystem Build(IEnumerable<(DockerStage Final, string Context)> images, IEnumerable<ContainerMount> runtimeMounts, Func<string, bool> isFolder,
        WorkBudget? budget = null)
    {
        budget ??= new WorkBudget();
        var mounts = new List<ContainerMount>();
        var memo = new Dictionary<DockerStage, List<ContainerMount>>();
        foreach (var (final, context) in images) mounts.AddRange(Materialize(final, context, isFolder, memo, 0, budget));
        mounts.AddRange(runtimeMounts);
        return new ContainerFileSystem(mounts);
    }

    /// <summary>What provides <paramref name="containerPath"/> (absolute), or null when nothing in the repository does.</summary>
    public Provision? Find(string containerPath)
    {
        var p = ContainerPaths.Combine("/", containerPath);
        for (var i = _mounts.Count - 1; i >= 0; i--)
        {
            var m = _mounts[i];
            if (ContainerPaths.Below(p, m.ContainerPath) is not { } rest) continue;
            if (!m.IsFolder && rest.Length > 0) continue;
            if (m.Pattern is not null && (rest.Length == 0 || rest.IndexOfAny(['/']) >= 0 || !Wildcard.Matches(rest, m.Pattern))) continue;
            var host = m.HostPath is null ? null : rest.Length == 0 ? m.HostPath : HostPath(m.HostPath, rest);
            return new Provision(m, host);
        }
        return null;
    }

    // Each stage is materialised once (memo); every mount it yields and every COPY --from edge is charged to the
    // Dockerfile, so stages that each copy the previous one many times stop at the budget instead of growing exponentially.
    private static List<ContainerMount> Materialize(DockerStage stage, string context, Func<string, bool> isFolder,
        Dictionary<DockerStage, List<ContainerMount>> memo, int depth, WorkBudget budget)
    {
        if (memo.TryGetValue(stage, out var done)) return done;
        var result = new List<ContainerMount>();
        memo[stage] = result; // a stage cannot copy from itself or a later one, but guard anyway
        if (depth > 32) return result;
        foreach (var s in stage.Lineage())
            foreach (var copy in s.Copies)
                AddCopy(copy, context, isFolder, memo, depth, result, budget);
        return result;
    }

    private static void AddCopy(DockerCopy copy, string context, Func<string, bool> isFolder,
        Dictionary<DockerStage, List<ContainerMount>> memo, int depth, List<ContainerMount> result, WorkBudget budget)
    {
        var file = copy.Location.Path;
        budget.Charge(file, WorkKind.Mounts);
        var dest = copy.Destination;
        string Target(string src, bool folder) => folder || !copy.DestinationIsFolder ? dest : ContainerPaths.Combine(dest, ContainerPaths.Name(src));
        if (copy.FromImage is { } image)
        {
            result.Add(new ContainerMount(dest, null, true, $"{copy.Text} (files of image '{image}')", copy.Location));
            return;
        }
        if (copy.FromStage is { } from)
        {
            budget.Charge(file, WorkKind.Edges);
            var stageMounts = Materialize(from, context, isFolder, memo, depth + 1, budget);
            foreach (var src in copy.Sources)
            {
                var srcPath = ContainerPaths.Combine("/", src);
                foreach (var m in stageMounts.ToList())
                {
                    budget.Charge(file, WorkKind.Mounts);
                    if (ContainerPaths.Below(m.ContainerPath, srcPath) is { } inside)
                    {
                        var target = inside.Length == 0 ? Target(src, m.IsFolder) : ContainerPaths.Combine(dest, inside);
                        result.Add(m with { ContainerPath = target, Provider = $"{copy.Text}, from {m.Provider}" });
                    }
                    else if (m.IsFolder && m.Pattern is null && ContainerPaths.Below(srcPath, m.ContainerPath) is { } below)
                    {
                        var host = m.HostPath is null ? null : HostPath(m.HostPath, below);
                        var folder = host is null || isFolder(host);
                        result.Add(new ContainerMount(Target(src, folder), host, folder, $"{copy.Text}, from {m.Provider}", m.Location));
                    }
                }
            }
            return;
        }
        foreach (var src in copy.Sources)
        {
            var name = ContainerPaths.Name(src);
            if (name.IndexOfAny(['*', '?', '[']) >= 0)
            {
                var slash = src.LastIndexOf('/');
                if (HostPath(context, slash > 0 ? src.Substring(0, slash) : ".") is not { } dir) continue;
                result.Add(new ContainerMount(dest, dir, true, copy.Text, copy.Location) { Pattern = name });
                continue;
            }
            if (HostPath(context, src) is not { } host) continue;
            var folder = src is "." or "./" || (src.Length > 0 && src[src.Length - 1] == '/') || isFolder(host);
            result.Add(new ContainerMount(Target(src, folder), host, folder, copy.Text, copy.Location));
        }
    }

    // A host path under a folder, or null when no file can have that name (a NUL, a control character).
    internal static string? HostPath(string folder, string relative) =>
        KestrelConfigReader.TryResolvePath(relative.Replace('/', Path.DirectorySeparatorChar), folder) is { } p && !Discovery.InputFile.HasInvalidCharacters(folder) ? p : null;
}

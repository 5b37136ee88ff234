using MustStaple.Diagnostics;
using MustStaple.Kestrel;
using MustStaple.Discovery;

namespace MustStaple.Hosting;

/// <summary>
/// Reads each Dockerfile, compose file, Kubernetes manifest and <c>.dockerignore</c> once per run, through the
/// engine's guarded reader; every reader fault becomes a <see cref="LoadError"/> on its file.
/// </summary>
internal sealed class ContainerFileCache
{
    private readonly Func<string, byte[]?> _read;
    private readonly Dictionary<string, (ContainerFacts? Facts, DockerStage? Final)> _dockerfiles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ContainerFacts?> _composes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ContainerFacts? Workloads, KubernetesObjects Objects)> _manifests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DockerIgnore?> _ignores = new(StringComparer.Ordinal);
    private readonly string _sourceRoot;

    public ContainerFileCache(string sourceRoot, Func<string, byte[]?> read, WorkBudget? budget = null)
    {
        _sourceRoot = sourceRoot;
        _read = read;
        Budget = budget ?? new WorkBudget();
    }

    public Func<string, byte[]?> Read => _read;

    /// <summary>The run's work budget every container reader draws on.</summary>
    public WorkBudget Budget { get; }

    /// <summary>A Dockerfile's facts and final stage (Docker reads a Dockerfile as bytes: invalid UTF-8 passes).</summary>
    public (ContainerFacts? Facts, DockerStage? Final) Dockerfile(string path)
    {
        if (_dockerfiles.TryGetValue(path, out var read)) return read;
        read = _read(path) is { } bytes
            ? ReadBoundary.Guard(path, "Dockerfile", () => ContainerFileReader.ReadDockerfile(path, TextDecoder.Decode(bytes, strict: false).Text ?? ""),
                fault => (new ContainerFacts { Path = path, Environment = [], Error = fault }, (DockerStage?)null))
            : (null, null);
        return _dockerfiles[path] = read;
    }

    /// <summary>A compose file's facts; its env_files are read through the same reader.</summary>
    public ContainerFacts? Compose(string path)
    {
        if (_composes.TryGetValue(path, out var facts)) return facts;
        facts = _read(path) is { } bytes
            ? ReadBoundary.Guard(path, "compose file", () => ReadCompose(path, bytes), fault => new ContainerFacts { Path = path, Environment = [], Error = fault })
            : null;
        return _composes[path] = facts;
    }

    /// <summary>A manifest's workloads (null when it has none).</summary>
    public ContainerFacts? Manifest(string path) => ManifestRead(path).Workloads;

    /// <summary>A manifest's Services, Ingresses, TLS Secrets and ConfigMaps.</summary>
    public KubernetesObjects Objects(string path) => ManifestRead(path).Objects;

    /// <summary>The <c>.dockerignore</c> of a build context, or null when it has none.</summary>
    public DockerIgnore? Ignore(string context)
    {
        if (_ignores.TryGetValue(context, out var ignore)) return ignore;
        var path = Path.Combine(context, ".dockerignore");
        ignore = SourcePaths.RelativeTo(path, _sourceRoot) is not null && File.Exists(path) && _read(path) is { } bytes
            ? ReadBoundary.Guard<DockerIgnore?>(path, ".dockerignore", () => DockerIgnore.Read(path, TextDecoder.Decode(bytes, strict: false).Text ?? ""), _ => null)
            : null;
        return _ignores[context] = ignore;
    }

    private (ContainerFacts? Workloads, KubernetesObjects Objects) ManifestRead(string path)
    {
        if (_manifests.TryGetValue(path, out var read)) return read;
        // A YAML file that is not a workload manifest (a workflow, a Helm template that is not YAML yet) is ignored, never reported.
        read = _read(path) is { } bytes && TextDecoder.Decode(bytes).Text is { } text
            ? ReadBoundary.Guard(path, "Kubernetes manifest", () =>
            {
                var (documents, error) = YamlTree.Read(path, text, Budget);
                return (ComposeReader.ReadManifest(path, documents, error, Budget), KubernetesReader.Read(path, documents, Budget));
            }, fault => ((ContainerFacts?)new ContainerFacts { Path = path, Environment = [], Error = fault }, KubernetesObjects.Empty))
            : (null, KubernetesObjects.Empty);
        return _manifests[path] = read;
    }

    // Compose is YAML, whose parser refuses invalid UTF-8: one MST0001 with its line.
    private ContainerFacts ReadCompose(string path, byte[] bytes)
    {
        var (text, line, error) = TextDecoder.Decode(bytes);
        return text is null
            ? new ContainerFacts { Path = path, Environment = [], Error = new LoadError(SourceLocation.OnLine(path, line, 1, 1), error!) }
            : ComposeReader.ReadCompose(path, text, Budget, (envPath, _) =>
                SourcePaths.RelativeTo(envPath, _sourceRoot) is not null && _read(envPath) is { } env ? TextDecoder.Decode(env, strict: false).Text : null);
    }
}

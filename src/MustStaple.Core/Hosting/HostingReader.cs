using MustStaple.Diagnostics;
using MustStaple.Discovery;
using MustStaple.Kestrel;

namespace MustStaple.Hosting;

/// <summary>
/// The hosting layer: from Dockerfiles (stages, COPY/ADD, WORKDIR, ENV, ARG, EXPOSE, .dockerignore), compose files
/// (services, build contexts, volumes, secrets, configs, ports, environment, env_file) and Kubernetes manifests
/// (workloads, Secret/ConfigMap volumes, Service, Ingress, TLS Secrets) → services with their image, platform,
/// repository files, environment and published ports. Each file is read once per run (<see cref="ContainerFileCache"/>).
/// </summary>
public static class HostingReader
{
    /// <summary>Every service the repository describes. Work is bounded by the discovered files (each read once).</summary>
    public static HostingModel Read(AssetSet assets, Func<string, byte[]?> readFile) => Read(assets, new ContainerFileCache(assets.SourceRoot, readFile));

    internal static HostingModel Read(AssetSet assets, ContainerFileCache cache)
    {
        var services = new List<HostedService>();
        var errors = new List<LoadError>();
        var built = new HashSet<string>(StringComparer.Ordinal);
        foreach (var compose in assets.OfKind(AssetKind.Compose).OrderBy(a => a.Path, StringComparer.Ordinal))
        {
            if (cache.Compose(compose.Path) is not { } facts) continue;
            if (facts.Error is { } e) errors.Add(e);
            foreach (var s in facts.Services)
            {
                var image = s.Image?.Image;
                var imageLocation = s.Image?.Location;
                var env = new List<ConfigEntry>();
                var images = new List<(DockerStage, string)>();
                if (s.Build is { } build && InputFile.IsUnderRoot(build.Dockerfile, assets.SourceRoot) && File.Exists(build.Dockerfile))
                {
                    built.Add(build.Dockerfile);
                    var (df, final) = cache.Dockerfile(build.Dockerfile);
                    if (df is not null) env.AddRange(df.Environment);
                    if (final is not null)
                    {
                        images.Add((final, build.Context));
                        image ??= final.Image.Image;
                        imageLocation ??= final.Image.Location;
                    }
                }
                env.AddRange(s.Environment);
                var platform = s.PlatformSignals.Select(p => p.Platform).Concat(image is null ? [] : TargetPlatformText.FromImage(image) is { } ip ? [ip] : [])
                    .DefaultIfEmpty(TargetPlatform.Unknown).First();
                services.Add(new HostedService
                {
                    Label = Localization.Texts.Hosting.Text("Service.Compose", s.Name), Kind = HostKind.Compose, Location = s.Location, Image = image, Platform = platform,
                    Files = ContainerFileSystem.Build(images, s.Mounts, p => IsFolder(p, assets.SourceRoot), cache.Ignore, cache.Budget),
                    Environment = env, Published = s.Ports, HostNames = [s.Name], Dockerfile = s.Build?.Dockerfile,
                });
            }
        }
        foreach (var dockerfile in assets.OfKind(AssetKind.Dockerfile).Select(a => a.Path).Where(p => !built.Contains(p)).OrderBy(p => p, StringComparer.Ordinal))
        {
            var (facts, final) = cache.Dockerfile(dockerfile);
            if (facts is null) continue;
            if (facts.Error is { } e) errors.Add(e);
            if (final is null) continue;
            var context = GuessContext(dockerfile, facts, assets.SourceRoot);
            services.Add(new HostedService
            {
                Label = Localization.Texts.Hosting.Text("Service.DockerfileImage", SourcePaths.RelativeTo(dockerfile, assets.SourceRoot)?.Replace('\\', '/') ?? Path.GetFileName(dockerfile)),
                Kind = HostKind.Dockerfile, Location = final.Image.Location, Image = final.Image.Image,
                Platform = TargetPlatformText.FromImage(final.Image.Image) ?? TargetPlatform.Unknown,
                Files = ContainerFileSystem.Build([(final, context)], [], p => IsFolder(p, assets.SourceRoot), cache.Ignore, cache.Budget),
                Environment = facts.Environment, Published = null, Dockerfile = dockerfile,
            });
        }
        var kubernetes = KubernetesObjects.Merge(assets.OfKind(AssetKind.Manifest).OrderBy(a => a.Path, StringComparer.Ordinal).Select(a => cache.Objects(a.Path)));
        services.AddRange(kubernetes.Workloads.Select(w => w.ToService(kubernetes)));
        return new HostingModel { Services = services, Kubernetes = kubernetes, Errors = errors };
    }

    // Asked only of paths that really lie inside the root: nothing past a link that leaves it is stat'ed.
    internal static bool IsFolder(string path, string sourceRoot) =>
        SourcePaths.RelativeTo(path, sourceRoot) is not null && InputFile.IsFolderUnderRoot(path, sourceRoot);

    /// <summary>
    /// Container files that apply to <paramref name="root"/>: every Dockerfile (any name) in it, else in the nearest
    /// folder above it within the source root; compose files likewise, plus the Dockerfiles their services build.
    /// Returns the facts and the final stages with their build contexts.
    /// </summary>
    internal static (List<ContainerFacts> Facts, List<(DockerStage Final, string Context)> Images) ContainerFiles(string root, AssetSet assets,
        ContainerFileCache cache)
    {
        var composes = Nearest(root, assets, AssetKind.Compose).Select(a => cache.Compose(a.Path)).OfType<ContainerFacts>().ToList();
        var builds = composes.SelectMany(c => c.Builds).Where(b => SourcePaths.RelativeTo(b.Dockerfile, assets.SourceRoot) is not null)
            .GroupBy(b => b.Dockerfile, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Context, StringComparer.Ordinal);
        var dockerfiles = Nearest(root, assets, AssetKind.Dockerfile).Select(a => a.Path)
            .Concat(builds.Keys.Where(p => InputFile.IsUnderRoot(p, assets.SourceRoot) && File.Exists(p))).Distinct(StringComparer.Ordinal).OrderBy(p => p, StringComparer.Ordinal).ToList();
        var facts = new List<ContainerFacts>();
        var images = new List<(DockerStage, string)>();
        foreach (var path in dockerfiles)
        {
            var read = cache.Dockerfile(path);
            if (read.Facts is not { } f) continue;
            facts.Add(f);
            if (read.Final is { } final)
                images.Add((final, builds.TryGetValue(path, out var context) ? context : GuessContext(path, f, assets.SourceRoot)));
        }
        facts.AddRange(composes); // compose environment and mounts apply over the image's
        facts.AddRange(Manifests(root, assets, cache));
        return (facts, images);
    }

    // Without compose naming the context: the Dockerfile's folder, or the nearest folder above it (within the
    // source root) in which most COPY sources exist (Visual Studio's Dockerfiles are built from the solution folder).
    private static string GuessContext(string dockerfile, ContainerFacts facts, string sourceRoot)
    {
        var sources = facts.Copies.Where(c => c.FromStage is null && c.FromImage is null).SelectMany(c => c.Sources)
            .Where(s => s.IndexOfAny(['*', '?', '[', '$']) < 0 && s is not "." and not "./").ToList();
        var best = Path.GetDirectoryName(dockerfile)!;
        var bestCount = -1;
        for (var dir = best; dir is not null && SourcePaths.RelativeTo(dir, sourceRoot) is not null; dir = Path.GetDirectoryName(dir))
        {
            // Only where the source really lies inside the root: nothing past a committed link that leaves it is stat'ed.
            var count = sources.Count(s => InputFile.RealPathUnder(Path.Combine(dir, s), sourceRoot) is { } real && (File.Exists(real) || Directory.Exists(real)));
            if (count > bestCount) (best, bestCount) = (dir, count);
            if (count == sources.Count) break;
        }
        return best;
    }

    private static IReadOnlyList<Discovery.Asset> Nearest(string root, AssetSet assets, AssetKind kind)
    {
        for (var dir = root; dir is not null && dir.StartsWith(assets.SourceRoot, StringComparison.Ordinal); dir = Path.GetDirectoryName(dir))
        {
            var here = assets.InFolder(dir, kind);
            if (here.Count > 0) return here;
        }
        return [];
    }

    // Kubernetes manifests in the content root's folder tree; when the repository has a single content root, anywhere
    // in it (manifests usually live in k8s/ or deploy/ beside the app). A YAML file that is not a workload manifest
    // (a workflow, a Helm template that is not YAML yet) is ignored, never reported.
    private static IEnumerable<ContainerFacts> Manifests(string root, AssetSet assets, ContainerFileCache cache)
    {
        var single = assets.ProjectFolderCount <= 1;
        foreach (var a in assets.OfKind(AssetKind.Manifest).OrderBy(a => a.Path, StringComparer.Ordinal))
        {
            if (!single && SourcePaths.RelativeTo(a.Path, root) is null) continue;
            if (cache.Manifest(a.Path) is { } f) yield return f;
        }
    }
}

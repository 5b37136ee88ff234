using MustStaple.Diagnostics;
using MustStaple.Discovery;
using MustStaple.Hosting;
using MustStaple.Localization;

namespace MustStaple.Kestrel;

/// <summary>Weighs the platform signals: explicit option, MSBuild properties, project files, Dockerfile FROM.</summary>
internal static class PlatformResolver
{
    public static (TargetPlatform Platform, LocalizedText Reason) Resolve(string root, AssetSet assets,
        DeploymentHints hints, List<ContainerFacts> containers, Func<string, byte[]?> readFile, List<LoadError> errors)
    {
        if (hints.TargetPlatform is { } explicitPlatform)
            return (explicitPlatform, Texts.Kestrel.Text("Platform.Explicit", TargetPlatformText.Name(explicitPlatform)));

        var signals = new List<PlatformSignal>();
        foreach (var kv in hints.ProjectProperties.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            foreach (var v in kv.Value.Split([';'], StringSplitOptions.RemoveEmptyEntries))
            {
                var p = kv.Key.Equals("ContainerBaseImage", StringComparison.OrdinalIgnoreCase) ? TargetPlatformText.FromImage(v) : TargetPlatformText.FromRid(v);
                if (p is { } platform) signals.Add(new PlatformSignal(platform, Texts.Kestrel.Text("Platform.Property", kv.Key, v.Trim()), null));
            }
        }
        if (hints.ProjectProperties.Count == 0)
        {
            var projectFiles = assets.InFolder(root, AssetKind.Project)
                .Concat(assets.OfKind(AssetKind.PublishProfile).Where(a => SourcePaths.RelativeTo(a.Path, root) is not null))
                .OrderBy(a => a.Path, StringComparer.Ordinal);
            foreach (var file in projectFiles)
            {
                if (readFile(file.Path) is not { } bytes) continue;
                var (found, error) = ReadBoundary.Guard(file.Path, "MSBuild project file", () => ProjectFileReader.Read(file.Path, bytes),
                    fault => ((IReadOnlyList<PlatformSignal>)[], (LoadError?)fault));
                signals.AddRange(found);
                if (error is not null) errors.Add(error);
            }
        }
        foreach (var c in containers)
        {
            if (c.BaseImage is { } image && TargetPlatformText.FromImage(image.Image) is { } p)
                signals.Add(new PlatformSignal(p, Texts.Kestrel.Text("Platform.DockerfileImage", image.Image), image.Location));
            signals.AddRange(c.PlatformSignals);
        }

        var distinct = signals.Select(s => s.Platform).Distinct().ToList();
        if (distinct.Count == 1) return (distinct[0], signals[0].Description);
        if (distinct.Count == 0)
            return (TargetPlatform.Unknown, Texts.Kestrel.Text("Platform.NoSignal"));
        return (TargetPlatform.Unknown, Texts.Kestrel.Text("Platform.Disagree",
            LocalizedText.Join(signals.Select(s => s.Description).GroupBy(t => t.English, StringComparer.Ordinal).Select(g => g.First()))));
    }
}

using System.Globalization;
using Microsoft.Build.Framework;
using MustStaple.Diagnostics;
using MustStaple.Kestrel;
using MustStaple.Sarif;
using Task = Microsoft.Build.Utilities.Task;

namespace MustStaple.Build;

/// <summary>Lints a project folder for must-staple certificates that Kestrel will serve without a staple.</summary>
public sealed class MustStapleLint : Task
{
    /// <summary>The project folder (the content root).</summary>
    [Required] public string ProjectDirectory { get; set; } = "";

    /// <summary>The folder SARIF URIs are relative to; default: the repository root.</summary>
    public string? SourceRoot { get; set; }

    /// <summary>ASP.NET Core environment for appsettings.{Environment}.json (MustStapleEnvironment).</summary>
    public string? Environment { get; set; }

    /// <summary>linux, windows or osx (MustStapleTargetOS); default: inferred.</summary>
    public string? TargetOS { get; set; }

    /// <summary>Where to write the SARIF log (MustStapleSarifFile); rewritten only when its content changed.</summary>
    public string? SarifFile { get; set; }

    /// <summary>Fixed clock, ISO 8601 (MustStapleNow).</summary>
    public string? Now { get; set; }

    /// <summary>RuntimeIdentifier, RuntimeIdentifiers, ContainerRuntimeIdentifier, ContainerBaseImage as evaluated.</summary>
    public string? RuntimeIdentifier { get; set; }

    /// <summary>RuntimeIdentifiers.</summary>
    public string? RuntimeIdentifiers { get; set; }

    /// <summary>ContainerRuntimeIdentifier.</summary>
    public string? ContainerRuntimeIdentifier { get; set; }

    /// <summary>ContainerBaseImage.</summary>
    public string? ContainerBaseImage { get; set; }

    /// <summary>When linting a publish: the files publish ships (ResolvedFileToPublish, with RelativePath).</summary>
    public ITaskItem[]? PublishedFiles { get; set; }

    /// <summary>NoWarn of the project.</summary>
    public string? NoWarn { get; set; }

    /// <summary>WarningsAsErrors of the project.</summary>
    public string? WarningsAsErrors { get; set; }

    /// <summary>WarningsNotAsErrors of the project.</summary>
    public string? WarningsNotAsErrors { get; set; }

    /// <summary>TreatWarningsAsErrors of the project.</summary>
    public bool TreatWarningsAsErrors { get; set; }

    /// <summary>How many findings were reported (warnings and errors); 0 lets the target stamp itself up to date.</summary>
    [Output] public int FindingCount { get; set; }

    /// <inheritdoc />
    public override bool Execute()
    {
        var now = DateTimeOffset.UtcNow;
        if (!string.IsNullOrWhiteSpace(Now) && !DateTimeOffset.TryParse(Now, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out now))
        {
            Log.LogError(null, "MST0000", null, null, 0, 0, 0, 0, "MustStapleNow '{0}' is not a date (use ISO 8601, e.g. 2026-01-01T00:00:00Z)", Now);
            return false;
        }
        TargetPlatform? os = null;
        if (!string.IsNullOrWhiteSpace(TargetOS) && (os = TargetPlatformText.ParseOs(TargetOS)) is null)
        {
            Log.LogError(null, "MST0000", null, null, 0, 0, 0, 0, "MustStapleTargetOS '{0}' must be linux, windows or osx", TargetOS);
            return false;
        }

        var contentRoot = Path.GetFullPath(ProjectDirectory);
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        void Add(string name, string? value) { if (!string.IsNullOrWhiteSpace(value)) properties[name] = value!; }
        Add(nameof(RuntimeIdentifier), RuntimeIdentifier);
        Add(nameof(RuntimeIdentifiers), RuntimeIdentifiers);
        Add(nameof(ContainerRuntimeIdentifier), ContainerRuntimeIdentifier);
        Add(nameof(ContainerBaseImage), ContainerBaseImage);

        var result = LintEngine.Run(new LintRequest
        {
            Paths = [contentRoot],
            Now = now,
            Environment = string.IsNullOrWhiteSpace(Environment) ? null : Environment,
            TargetPlatform = os,
            ProjectProperties = properties,
            NoWarn = Split(NoWarn),
            WarningsAsErrors = Split(WarningsAsErrors),
            WarningsNotAsErrors = Split(WarningsNotAsErrors),
            TreatWarningsAsErrors = TreatWarningsAsErrors,
            PublishedFiles = PublishedFiles?.Select(i => Path.GetFullPath(Path.Combine(contentRoot, i.GetMetadata("RelativePath")))).ToHashSet(StringComparer.Ordinal),
            SourceRoot = string.IsNullOrWhiteSpace(SourceRoot) ? null : Path.GetFullPath(SourceRoot),
        });

        MSBuildSink.Write(result, Log);
        FindingCount = result.Diagnostics.Count(d => d.Severity >= Severity.Warning);
        if (!string.IsNullOrWhiteSpace(SarifFile)) WriteSarifIfChanged(result);
        return !Log.HasLoggedErrors;
    }

    private void WriteSarifIfChanged(LintResult result)
    {
        var bytes = SarifWriter.Write(result);
        var path = Path.GetFullPath(SarifFile!);
        try
        {
            if (File.Exists(path) && File.ReadAllBytes(path).SequenceEqual(bytes)) return;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.LogWarning(null, "MST0001", null, path, 0, 0, 0, 0, "The SARIF log could not be written: {0}", ex.Message);
        }
    }

    private static string[] Split(string? list) =>
        (list ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();
}

/// <summary>Logs findings through MSBuild with code, file, span and help link, so NoWarn and WarningsAsErrors apply.</summary>
internal static class MSBuildSink
{
    public static void Write(LintResult result, Microsoft.Build.Utilities.TaskLoggingHelper log)
    {
        foreach (var d in result.Diagnostics)
        {
            var l = d.Location;
            switch (d.Severity)
            {
                case Severity.Error:
                    log.LogError(null, d.Id, null, d.Descriptor.HelpUri, l.Path, l.Line, l.Column, l.EndLine, l.EndColumn, d.Message);
                    break;
                case Severity.Warning:
                    log.LogWarning(null, d.Id, null, d.Descriptor.HelpUri, l.Path, l.Line, l.Column, l.EndLine, l.EndColumn, d.Message);
                    break;
                default:
                    log.LogMessage(null, d.Id, null, l.Path, l.Line, l.Column, l.EndLine, l.EndColumn, MessageImportance.High, d.Message);
                    break;
            }
        }
    }
}

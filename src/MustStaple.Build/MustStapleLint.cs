using System.Globalization;
using System.Text;
using Microsoft.Build.Framework;
using MustStaple.Diagnostics;
using MustStaple.Discovery;
using MustStaple.Rules;
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

    /// <summary>The clean stamp: written (never through a link) when the run found nothing above a note, else deleted.</summary>
    public string? StampFile { get; set; }

    /// <summary>Where to record the files this run depended on and until when its verdicts hold (read by MustStapleInputs).</summary>
    public string? StateFile { get; set; }

    /// <summary>The repository URL for SARIF versionControlProvenance (RepositoryUrl), when known.</summary>
    public string? RepositoryUrl { get; set; }

    /// <summary>The commit for SARIF versionControlProvenance (SourceRevisionId), when known.</summary>
    public string? SourceRevisionId { get; set; }

    /// <summary>The branch for SARIF versionControlProvenance (RepositoryBranch), when known.</summary>
    public string? RepositoryBranch { get; set; }

    /// <summary>How many findings were reported (warnings and errors); 0 lets the target stamp itself up to date.</summary>
    [Output] public int FindingCount { get; set; }

    /// <summary>The project's UserSecretsId: its secrets.json (developer machine) is read for PFX passwords, never printed.</summary>
    public string? UserSecretsId { get; set; }

    /// <summary>Names of environment variables holding PFX passwords to try (MustStaplePfxPasswordEnv; the CLI's --pfx-password-env).</summary>
    public string? PfxPasswordEnv { get; set; }

    /// <summary>Glob patterns (relative to the project folder) never to read, e.g. the publish folder when it lies inside.</summary>
    public string? Exclude { get; set; }

    // Where ASP.NET Core keeps a PFX password outside appsettings (docs: MST0002): the variables MustStaplePfxPasswordEnv
    // names, Kestrel's own …__Password variables, the project's user secrets. Tried on locked PFX files, never printed.
    private IReadOnlyList<string> Passwords()
    {
        var passwords = new List<string>();
        foreach (var name in Split(PfxPasswordEnv))
        {
            if (System.Environment.GetEnvironmentVariable(name) is { Length: > 0 } pw) passwords.Add(pw);
            else Log.LogMessage(MessageImportance.Normal, Strings.Format("PfxPasswordEnvNotSet", SafeText.Escape(name)));
        }
        passwords.AddRange(PasswordSources.KestrelVariables(System.Environment.GetEnvironmentVariables()));
        var secrets = PasswordSources.UserSecretsFile(UserSecretsId, System.Environment.GetEnvironmentVariable("APPDATA"), System.Environment.GetEnvironmentVariable("HOME"));
        if (secrets is not null && File.Exists(secrets))
        {
            try
            {
                var info = new FileInfo(secrets);
                if (info.Length <= PasswordSources.MaxSecretsBytes) passwords.AddRange(PasswordSources.FromUserSecrets(File.ReadAllBytes(secrets)));
            }
            catch (IOException) { } // unreadable secrets: nothing to try
            catch (UnauthorizedAccessException) { }
        }
        return PasswordSources.Combine(passwords);
    }

    /// <inheritdoc />
    public override bool Execute()
    {
        try
        {
            return Lint();
        }
#pragma warning disable CA1031 // the last line of defence: one error with a code instead of MSB4018 and a stack trace
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.LogError(null, LintFailure.Id, null, MSBuildSink.Help(LintFailure.Id), null, 0, 0, 0, 0, LintFailure.Describe(ex));
            if (!string.IsNullOrWhiteSpace(StampFile)) OutputFile.Delete(StampFile!);
            return false;
        }
    }

    private bool Lint()
    {
        var now = DateTimeOffset.UtcNow;
        if (!string.IsNullOrWhiteSpace(Now) && !DateTimeOffset.TryParse(Now, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out now))
        {
            Log.LogError(null, LintFailure.Id, null, MSBuildSink.Help(LintFailure.Id), null, 0, 0, 0, 0, LintFailure.Describe(Strings.Format("NowNotADate", Now)));
            return false;
        }
        TargetPlatform? os = null;
        if (!string.IsNullOrWhiteSpace(TargetOS) && (os = TargetPlatformText.ParseOs(TargetOS)) is null)
        {
            Log.LogError(null, LintFailure.Id, null, MSBuildSink.Help(LintFailure.Id), null, 0, 0, 0, 0, LintFailure.Describe(Strings.Format("TargetOSInvalid", TargetOS)));
            return false;
        }

        var contentRoot = Path.GetFullPath(ProjectDirectory);
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        void Add(string name, string? value) { if (!string.IsNullOrWhiteSpace(value)) properties[name] = value!; }
        Add(nameof(RuntimeIdentifier), RuntimeIdentifier);
        Add(nameof(RuntimeIdentifiers), RuntimeIdentifiers);
        Add(nameof(ContainerRuntimeIdentifier), ContainerRuntimeIdentifier);
        Add(nameof(ContainerBaseImage), ContainerBaseImage);

        LintResult result;
        try
        {
            result = LintEngine.Run(new LintRequest
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
                Exclude = Split(Exclude),
                PublishedFiles = PublishedFiles?.Select(i => Path.GetFullPath(Path.Combine(contentRoot, i.GetMetadata("RelativePath")))).ToHashSet(StringComparer.Ordinal),
                SourceRoot = string.IsNullOrWhiteSpace(SourceRoot) ? null : Path.GetFullPath(SourceRoot),
                PfxPasswords = Passwords(),
                Front = LintFront.Build,
            });
        }
#pragma warning disable CA1031 // the last line of defence: one error with a code instead of MSB4018 and a stack trace
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.LogError(null, LintFailure.Id, null, MSBuildSink.Help(LintFailure.Id), null, 0, 0, 0, 0, LintFailure.Describe(ex));
            if (!string.IsNullOrWhiteSpace(StampFile)) OutputFile.Delete(StampFile!);
            return false;
        }

        // Publish lints what ships: a finding on a certificate file publish leaves out is not about the deployment.
        if (PublishedFiles is not null)
        {
            var shipped = new HashSet<string>(PublishedFiles.Select(i => Path.GetFullPath(Path.Combine(contentRoot, i.GetMetadata("RelativePath")))), StringComparer.Ordinal);
            result = result.Where(d => AssetClassifier.Classify(Path.GetFileName(d.Location.Path)) != AssetKind.Certificate || shipped.Contains(d.Location.Path));
        }

        MSBuildSink.Write(result, Log);
        // One line at normal importance (-v:n): the lint ran, on how much, with what outcome.
        Log.LogMessage(MessageImportance.Normal, Strings.Format("Summary", result.FilesRead, result.ErrorCount, result.WarningCount, result.Diagnostics.Count(d => d.Severity == Severity.Note), SafeText.Path(contentRoot)));
        FindingCount = result.Diagnostics.Count(d => d.Severity >= Severity.Warning);
        if (!string.IsNullOrWhiteSpace(SarifFile)) WriteOutput(SarifFile!, SarifWriter.Write(result, new SarifOptions
        {
            Category = SarifOptions.CategoryFor(contentRoot, result.SourceRoot),
            RepositoryUri = string.IsNullOrWhiteSpace(RepositoryUrl) ? null : RepositoryUrl,
            RevisionId = string.IsNullOrWhiteSpace(SourceRevisionId) ? null : SourceRevisionId,
            Branch = string.IsNullOrWhiteSpace(RepositoryBranch) ? null : RepositoryBranch,
        }));
        var clean = FindingCount == 0 && !Log.HasLoggedErrors;
        if (!string.IsNullOrWhiteSpace(StateFile))
            WriteOutput(StateFile!, Encoding.UTF8.GetBytes(MustStapleInputs.FormatState(result.InputFiles, result.ValidUntil, clean)));
        if (!string.IsNullOrWhiteSpace(StampFile))
        {
            // Always rewritten (never "only if changed"): the stamp is the target's output, so its time must move past
            // every input this run saw, or MSBuild finds an input newer than it on every later build and lints again.
            if (clean && !Log.HasLoggedErrors) WriteOutput(StampFile!, Encoding.UTF8.GetBytes("clean\n"), always: true);
            else OutputFile.Delete(StampFile!);
        }
        return !Log.HasLoggedErrors;
    }

    // Every file the task writes goes through OutputFile: a temporary file renamed over the target, never through a link.
    private void WriteOutput(string path, byte[] bytes, bool always = false)
    {
        if ((always ? OutputFile.Write(path, bytes) : OutputFile.WriteIfChanged(path, bytes)) is { } problem)
            Log.LogError(null, LintFailure.Id, null, MSBuildSink.Help(LintFailure.Id), SafeText.Path(Path.GetFullPath(path)), 0, 0, 0, 0, LintFailure.Describe(problem));
    }

    private static string[] Split(string? list) =>
        (list ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();
}

/// <summary>Logs findings through MSBuild with code, file, span and help link, so NoWarn and WarningsAsErrors apply.</summary>
internal static class MSBuildSink
{
    // The build's help link: the repository's page when the package was packed with RepositoryUrl, else the same page
    // inside the package (docs/rules/, two folders above tasks/<tfm>/), which Visual Studio's error list opens.
    private static readonly string? PackageDocs = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(MSBuildSink).Assembly.Location) ?? ".", "..", "..", "docs", "rules"));

    internal static string? Help(string id) =>
        HelpLinks.For(id) ?? (PackageDocs is not null && File.Exists(Path.Combine(PackageDocs, id + ".md")) ? new Uri(Path.Combine(PackageDocs, id + ".md")).AbsoluteUri : null);

    public static void Write(LintResult result, Microsoft.Build.Utilities.TaskLoggingHelper log)
    {
        foreach (var d in result.Diagnostics)
        {
            // file(line,col) only, the shape Roslyn's diagnostics have: GitHub's csc problem matcher (setup-dotnet) and VS Code's
            // $msCompile accept it, not the four-number span (which SARIF keeps). The path is escaped like every output.
            var l = d.Location;
            var file = SafeText.Path(l.Path);
            switch (d.Severity)
            {
                case Severity.Error:
                    log.LogError(null, d.Id, null, Help(d.Id), file, l.Line, l.Column, 0, 0, SafeText.Line(d.Message));
                    break;
                case Severity.Warning:
                    log.LogWarning(null, d.Id, null, Help(d.Id), file, l.Line, l.Column, 0, 0, SafeText.Line(d.Message));
                    break;
                default:
                    log.LogMessage(null, d.Id, null, file, l.Line, l.Column, 0, 0, MessageImportance.High, SafeText.Line(d.Message));
                    break;
            }
        }
    }
}

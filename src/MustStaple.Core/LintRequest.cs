using MustStaple.Diagnostics;

namespace MustStaple;

/// <summary>Everything a run depends on. Fronts build it from flags or MSBuild properties; Core reads nothing else.</summary>
public sealed class LintRequest
{
    /// <summary>Folders, project files or single files to lint.</summary>
    public required IReadOnlyList<string> Paths { get; init; }

    /// <summary>The instant validity and retirement are judged at.</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>Extra glob patterns (relative to each path) of files to read, even in skipped folders.</summary>
    public IReadOnlyList<string> Include { get; init; } = [];

    /// <summary>Glob patterns of files never to read. Wins over <see cref="Include"/>.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>IDs whose findings are dropped.</summary>
    public IReadOnlyCollection<string> NoWarn { get; init; } = [];

    /// <summary>IDs whose warnings become errors.</summary>
    public IReadOnlyCollection<string> WarningsAsErrors { get; init; } = [];

    /// <summary>Every warning becomes an error (except <see cref="WarningsNotAsErrors"/>).</summary>
    public bool TreatWarningsAsErrors { get; init; }

    /// <summary>IDs that stay warnings under <see cref="TreatWarningsAsErrors"/>.</summary>
    public IReadOnlyCollection<string> WarningsNotAsErrors { get; init; } = [];

    /// <summary>Extra PKCS#12 passwords to try (e.g. from --pfx-password-env). Never printed.</summary>
    public IReadOnlyList<string> PfxPasswords { get; init; } = [];

    /// <summary>Environment name for <c>appsettings.{Environment}.json</c> (--environment); default: Dockerfile, else Production.</summary>
    public string? Environment { get; init; }

    /// <summary>
    /// The language of messages (and SARIF texts); default: <see cref="System.Globalization.CultureInfo.CurrentUICulture"/>.
    /// Numbers and dates stay invariant; fingerprints and the order of findings do not depend on it.
    /// </summary>
    public System.Globalization.CultureInfo? Culture { get; init; }

    /// <summary>The front the run came through (advice names its options); default: the CLI.</summary>
    public Diagnostics.LintFront Front { get; init; }

    /// <summary>Explicit target platform (--target-os); default: inferred.</summary>
    public Kestrel.TargetPlatform? TargetPlatform { get; init; }

    /// <summary>Evaluated MSBuild properties that tell the platform (RuntimeIdentifier, ContainerBaseImage…).</summary>
    public IReadOnlyDictionary<string, string> ProjectProperties { get; init; } = new Dictionary<string, string>();

    /// <summary>Severities from .editorconfig / .globalconfig (<c>dotnet_diagnostic.ID.severity</c>).</summary>
    public IReadOnlyDictionary<string, Severity> SeverityOverrides { get; init; } = new Dictionary<string, Severity>();

    /// <summary>When linting a publish: absolute paths of the files publish ships.</summary>
    public IReadOnlyCollection<string>? PublishedFiles { get; init; }

    /// <summary>The folder SARIF URIs are relative to; default: the repository root of the first path.</summary>
    public string? SourceRoot { get; init; }

    /// <summary>The limits of the run's work budget (<see cref="Discovery.WorkBudget"/>); default: <see cref="Discovery.WorkLimits.Default"/>.</summary>
    public Discovery.WorkLimits? Limits { get; init; }

    /// <summary>The run's budget itself, when the caller wants to read what the run used (build/budget-usage.cs); default: a new one with <see cref="Limits"/>.</summary>
    public Discovery.WorkBudget? Budget { get; init; }
}

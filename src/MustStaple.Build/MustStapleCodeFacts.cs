using Microsoft.Build.Framework;
using MustStaple.Discovery;
using MustStaple.Kestrel;

namespace MustStaple.Build;

/// <summary>
/// Writes what Core knows about the project's certificate files to a small facts file that the C# analyzer
/// (MustStaple.Analyzers) reads as an AdditionalFile, so the analyzer decides with Core's verdicts and does no I/O.
/// Runs before CoreCompile. The file holds no password and no key material.
/// </summary>
public sealed class MustStapleCodeFacts : Microsoft.Build.Utilities.Task
{

    /// <summary>The project folder (content root).</summary>
    [Required] public string ProjectDirectory { get; set; } = "";

    /// <summary>Where to write the facts (under obj/).</summary>
    [Required] public string FactsFile { get; set; } = "";

    /// <summary>
    /// The facts target's output, rewritten on every run (its time moves past every input) while the facts file is
    /// rewritten only when the facts change, so an edit that changes no fact leaves CoreCompile up to date.
    /// </summary>
    public string? StampFile { get; set; }

    /// <summary>The project's C# files: their string literals are tried as PFX passwords, never logged.</summary>
    public ITaskItem[]? CompileFiles { get; set; }

    /// <summary>MustStapleEnvironment.</summary>
    public string? Environment { get; set; }

    /// <summary>MustStapleTargetOS: linux, windows or osx.</summary>
    public string? TargetOS { get; set; }

    /// <summary>RuntimeIdentifier of the project.</summary>
    public string? RuntimeIdentifier { get; set; }

    /// <summary>RuntimeIdentifiers of the project.</summary>
    public string? RuntimeIdentifiers { get; set; }

    /// <summary>ContainerRuntimeIdentifier of the project.</summary>
    public string? ContainerRuntimeIdentifier { get; set; }

    /// <summary>ContainerBaseImage of the project.</summary>
    public string? ContainerBaseImage { get; set; }

    /// <inheritdoc />
    public override bool Execute()
    {
        var root = Path.GetFullPath(ProjectDirectory);
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        void Add(string name, string? value) { if (!string.IsNullOrWhiteSpace(value)) properties[name] = value!; }
        Add(nameof(RuntimeIdentifier), RuntimeIdentifier);
        Add(nameof(RuntimeIdentifiers), RuntimeIdentifiers);
        Add(nameof(ContainerRuntimeIdentifier), ContainerRuntimeIdentifier);
        Add(nameof(ContainerBaseImage), ContainerBaseImage);

        // Only C# files really inside the project folder (InputFile: no link out of it, regular files, capped).
        var passwords = CodePasswords.FromFiles((CompileFiles ?? []).Select(i => Path.GetFullPath(Path.Combine(root, i.ItemSpec))), root);
        var text = CodeFacts.Compute(new CodeFactsRequest
        {
            ProjectDirectory = root,
            Environment = string.IsNullOrWhiteSpace(Environment) ? null : Environment,
            TargetPlatform = TargetPlatformText.ParseOs(TargetOS),
            ProjectProperties = properties,
            Passwords = passwords,
        });

        // The one safe writer (temp file renamed over the target, never through a link planted in obj/).
        if (Sarif.OutputFile.WriteIfChanged(FactsFile, System.Text.Encoding.UTF8.GetBytes(text)) is { } problem)
            Log.LogWarning(null, "MST0001", null, FactsFile, 0, 0, 0, 0, Strings.Format("FactsNotWritten", problem));
        else if (!string.IsNullOrWhiteSpace(StampFile) && Sarif.OutputFile.Write(StampFile!, System.Text.Encoding.UTF8.GetBytes("facts\n")) is { } stampProblem)
            Log.LogWarning(null, "MST0001", null, StampFile, 0, 0, 0, 0, Strings.Format("FactsStampNotWritten", stampProblem));
        return true;
    }
}

using MustStaple.Diagnostics;

namespace MustStaple;

/// <summary>What a run found, sorted, at effective severities; suppressed findings are gone.</summary>
public sealed class LintResult
{
    internal LintResult(IReadOnlyList<Diagnostic> diagnostics, IReadOnlyList<DiagnosticDescriptor> rules, string sourceRoot, int filesRead)
    {
        Diagnostics = diagnostics;
        Rules = rules;
        SourceRoot = sourceRoot;
        FilesRead = filesRead;
    }

    /// <summary>Findings sorted by path, line, column, ID.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>Every rule that ran, in ID order.</summary>
    public IReadOnlyList<DiagnosticDescriptor> Rules { get; }

    /// <summary>The folder paths are reported relative to.</summary>
    public string SourceRoot { get; }

    /// <summary>How many input files were read.</summary>
    public int FilesRead { get; }

    /// <summary>Findings at error level.</summary>
    public int ErrorCount => Diagnostics.Count(d => d.Severity == Severity.Error);

    /// <summary>Findings at warning level.</summary>
    public int WarningCount => Diagnostics.Count(d => d.Severity == Severity.Warning);
}

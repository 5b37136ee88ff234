using MustStaple.Diagnostics;

namespace MustStaple;

/// <summary>What a run found, sorted, at effective severities; suppressed findings are gone.</summary>
public sealed class LintResult
{
    internal LintResult(IReadOnlyList<Diagnostic> diagnostics, IReadOnlyList<DiagnosticDescriptor> rules, string sourceRoot, int filesRead,
        IReadOnlyList<string>? inputFiles = null, DateTimeOffset? validUntil = null)
    {
        InputFiles = inputFiles ?? [];
        ValidUntil = validUntil;
        Diagnostics = diagnostics;
        Rules = rules;
        SourceRoot = sourceRoot;
        FilesRead = filesRead;
    }

    /// <summary>The language the findings are written in (SARIF <c>runs[0].language</c>).</summary>
    public System.Globalization.CultureInfo Culture { get; init; } = System.Globalization.CultureInfo.CurrentUICulture;

    /// <summary>Findings sorted by path, line, column, ID.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>Every rule that ran, in ID order.</summary>
    public IReadOnlyList<DiagnosticDescriptor> Rules { get; }

    /// <summary>The folder paths are reported relative to.</summary>
    public string SourceRoot { get; }

    /// <summary>How many input files were read.</summary>
    public int FilesRead { get; }

    /// <summary>
    /// Every file the verdicts depend on, sorted: the inputs found, the certificates read and every file the configuration
    /// references, wherever it lives, whether or not it exists (a file that appears or disappears changes a verdict).
    /// The build uses it to know when its stamp is out of date.
    /// </summary>
    public IReadOnlyList<string> InputFiles { get; }

    /// <summary>
    /// The earliest instant after <see cref="LintRequest.Now"/> at which a verdict on the same files could change (a
    /// certificate becomes valid or expires, a responder retires), or null when none can. A clean result expires then.
    /// </summary>
    public DateTimeOffset? ValidUntil { get; }

    /// <summary>The same result with only the findings <paramref name="keep"/> accepts (e.g. a publish keeps what ships).</summary>
    public LintResult Where(Func<Diagnostic, bool> keep) =>
        new(Diagnostics.Where(keep).ToArray(), Rules, SourceRoot, FilesRead, InputFiles, ValidUntil) { Culture = Culture };

    /// <summary>Findings at error level.</summary>
    public int ErrorCount => Diagnostics.Count(d => d.Severity == Severity.Error);

    /// <summary>Findings at warning level.</summary>
    public int WarningCount => Diagnostics.Count(d => d.Severity == Severity.Warning);
}

/// <summary>Computes <see cref="LintResult.ValidUntil"/> and <see cref="LintResult.InputFiles"/> from what a run read.</summary>
internal static class LintResultFacts
{
    public static DateTimeOffset? ValidUntil(DateTimeOffset now, IEnumerable<Certificates.CertificateFile> files, Certificates.RetiredResponderList responders)
    {
        DateTimeOffset? earliest = null;
        void Consider(DateTimeOffset t) { if (t > now && (earliest is null || t < earliest)) earliest = t; }
        foreach (var c in files.SelectMany(f => f.Certificates))
        {
            Consider(c.NotBefore);
            Consider(Diagnostics.SaturatingTime.Add(c.NotAfter, TimeSpan.FromTicks(1))); // expired once past NotAfter (saturating: notAfter may be the last instant)
        }
        foreach (var r in responders.Entries) Consider(r.Retired);
        return earliest;
    }

    // Only files under the source root: nothing outside it is ever read, so nothing there can change a verdict.
    // Distinct strings: an (unstable) ordinal sort gives the same order as OrderBy, without its key array and stable index.
    public static string[] InputFiles(IEnumerable<string> paths, string sourceRoot)
    {
        var unique = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in paths)
            if (p.Length > 0 && SourcePaths.IsUnder(p, sourceRoot) && !Discovery.InputFile.HasInvalidCharacters(p)) unique.Add(p);
        var sorted = new string[unique.Count];
        unique.CopyTo(sorted);
        Array.Sort(sorted, StringComparer.Ordinal);
        return sorted;
    }
}

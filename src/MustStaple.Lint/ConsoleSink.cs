using MustStaple.Diagnostics;

namespace MustStaple.Lint;

/// <summary>Writes findings as MSBuild canonical lines, then a one-line summary.</summary>
internal static class ConsoleSink
{
    public static void Write(LintResult result, TextWriter output, string baseDirectory, string unit = "file", string verb = "read")
    {
        foreach (var d in result.Diagnostics)
            output.WriteLine(SafeText.Line(CanonicalFormatter.Format(d, CanonicalFormatter.DisplayPath(d.Location.Path, baseDirectory))));
        var notes = result.Diagnostics.Count(d => d.Severity == Severity.Note);
        output.WriteLine($"muststaple-lint: {Plural(result.ErrorCount, "error")}, {Plural(result.WarningCount, "warning")}, {Plural(notes, "note")} ({Plural(result.FilesRead, unit)} {verb})");
        if (result.Diagnostics.Count > 0)
        {
            var id = result.Diagnostics.OrderByDescending(d => d.Severity).First().Id;
            output.WriteLine($"muststaple-lint: why and how to fix: {HelpLinks.For(id) ?? HelpLinks.Command(id)} (any rule ID)");
        }
    }

    private static string Plural(int n, string word) => n == 1 ? $"1 {word}" : $"{n} {word}s";
}

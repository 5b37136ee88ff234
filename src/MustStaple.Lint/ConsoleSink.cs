using MustStaple.Diagnostics;

namespace MustStaple.Lint;

/// <summary>Writes findings as MSBuild canonical lines, then a one-line summary.</summary>
internal static class ConsoleSink
{
    /// <summary>Writes the lines and the summary; <paramref name="unit"/> names what was counted (<c>File</c>: read, <c>Endpoint</c>: probed).</summary>
    public static void Write(LintResult result, TextWriter output, string baseDirectory, string unit = "File")
    {
        foreach (var d in result.Diagnostics)
            output.WriteLine(SafeText.Line(CanonicalFormatter.Format(d, CanonicalFormatter.DisplayPath(d.Location.Path, baseDirectory))));
        var notes = result.Diagnostics.Count(d => d.Severity == Severity.Note);
        output.WriteLine(CliText.Get("Summary.Line", Plural(result.ErrorCount, "Error"), Plural(result.WarningCount, "Warning"), Plural(notes, "Note"), Plural(result.FilesRead, unit)));
        if (result.Diagnostics.Count > 0)
        {
            var id = result.Diagnostics.OrderByDescending(d => d.Severity).First().Id;
            output.WriteLine(CliText.Get("Summary.Help", HelpLinks.For(id) ?? HelpLinks.Command(id)));
        }
    }

    private static string Plural(int n, string what) => n == 1 ? CliText.Get($"Summary.{what}.One") : CliText.Get($"Summary.{what}.Many", n);
}

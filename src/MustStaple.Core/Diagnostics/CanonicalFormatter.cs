namespace MustStaple.Diagnostics;

/// <summary>MSBuild's canonical error format: <c>path(line,col): error MST1001: message</c>.</summary>
public static class CanonicalFormatter
{
    /// <summary>Formats one finding; <paramref name="displayPath"/> is the path as the user should see it.</summary>
    public static string Format(Diagnostic d, string displayPath) =>
        $"{displayPath}({d.Location.Line},{d.Location.Column}): {SeverityText.ToCanonical(d.Severity)} {d.Id}: {d.Message}";

    /// <summary>
    /// <paramref name="path"/> relative to <paramref name="baseDirectory"/> when inside it, else unchanged; escaped and capped
    /// (<see cref="SafeText.Path"/>): a folder name is file-derived text too.
    /// </summary>
    public static string DisplayPath(string path, string baseDirectory) => SafeText.Path(SourcePaths.RelativeTo(path, baseDirectory) ?? path);
}

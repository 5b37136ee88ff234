namespace MustStaple.Diagnostics;

/// <summary>
/// A 1-based region of a file. <see cref="EndColumn"/> is exclusive, as in SARIF and MSBuild.
/// <see cref="Path"/> is absolute; fronts make it relative for display.
/// </summary>
public sealed record SourceLocation(string Path, int Line, int Column, int EndLine, int EndColumn)
{
    /// <summary>The whole first line of a file whose content has no lines (DER, PKCS#12, an empty file).</summary>
    public static SourceLocation StartOf(string path) => new(path, 1, 1, 1, 1);

    /// <summary>A span on one line.</summary>
    public static SourceLocation OnLine(string path, int line, int column, int length) =>
        new(path, line, column, line, column + Math.Max(length, 0));
}

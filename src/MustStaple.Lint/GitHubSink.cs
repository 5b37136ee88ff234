using MustStaple.Diagnostics;

namespace MustStaple.Lint;

/// <summary>GitHub Actions workflow commands (<c>::error file=…,line=…::message</c>) with the escaping GitHub requires; content through <see cref="SafeText.Line"/>.</summary>
internal static class GitHubSink
{
    public static void Write(LintResult result, TextWriter output, string baseDirectory)
    {
        foreach (var d in result.Diagnostics)
        {
            var command = d.Severity switch { Severity.Error => "error", Severity.Warning => "warning", _ => "notice" };
            var file = CanonicalFormatter.DisplayPath(d.Location.Path, baseDirectory).Replace('\\', '/');
            var l = d.Location;
            output.WriteLine($"::{command} file={Property(file)},line={l.Line},col={l.Column},endLine={l.EndLine},endColumn={l.EndColumn},title={Property(d.Id)}::{Data(SafeText.Line(d.Message))}");
        }
    }

    internal static string Data(string s) => s.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");

    internal static string Property(string s) => Data(s).Replace(":", "%3A").Replace(",", "%2C");
}

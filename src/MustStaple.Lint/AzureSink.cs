using MustStaple.Diagnostics;

namespace MustStaple.Lint;

/// <summary>
/// Azure Pipelines logging commands, one per finding:
/// <c>##vso[task.logissue type=error;sourcepath=…;linenumber=…;columnnumber=…;code=MST3001]message</c>, escaped as the
/// agent requires (azure-pipelines-task-lib: <c>%</c> → <c>%AZP25</c>, CR/LF → <c>%0D</c>/<c>%0A</c>, and in properties
/// <c>;</c> → <c>%3B</c>, <c>]</c> → <c>%5D</c>). A note becomes no issue (the agent knows only errors and warnings).
/// Text from files can never start a second command: <c>##</c> inside it is broken up (<c>##vso[</c>, <c>##[</c>).
/// </summary>
internal static class AzureSink
{
    public static void Write(LintResult result, TextWriter output, string baseDirectory)
    {
        foreach (var d in result.Diagnostics.Where(d => d.Severity is Severity.Error or Severity.Warning))
        {
            var file = CanonicalFormatter.DisplayPath(d.Location.Path, baseDirectory).Replace('\\', '/');
            var type = d.Severity == Severity.Error ? "error" : "warning";
            output.WriteLine($"##vso[task.logissue type={type};sourcepath={Property(file)};linenumber={d.Location.Line};columnnumber={d.Location.Column};code={Property(d.Id)}]{Data(d.Message)}");
        }
    }

    internal static string Data(string s) => Neutralize(s).Replace("%", "%AZP25").Replace("\r", "%0D").Replace("\n", "%0A");

    internal static string Property(string s) => Data(s).Replace(";", "%3B").Replace("]", "%5D");

    /// <summary>Breaks up <c>##</c> so no text taken from a file reads as a logging command or a log-group marker.</summary>
    internal static string Neutralize(string s) => s.Replace("##", "#\u200B#");
}

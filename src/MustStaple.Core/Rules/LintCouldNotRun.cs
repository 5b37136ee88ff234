using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>
/// MST0006: the lint could not run, or could not write its results. Not a per-file rule: nothing in a lint context
/// yields it. The fronts report it when something escapes <see cref="LintEngine.Run"/> (the CLI: one line, exit 2;
/// the MSBuild task: one error with this code instead of MSB4018) or when an output cannot be written safely.
/// Registered so that SARIF lists it and the catalogue documents it.
/// </summary>
internal sealed class LintCouldNotRun : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.LintCouldNotRun, nameof(LintCouldNotRun), RuleCategory.Input, Severity.Error);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) => [];
}

/// <summary>How the fronts word <c>MST0006</c>: one line, no stack trace, file-derived text escaped.</summary>
public static class LintFailure
{
    /// <summary>The rule ID.</summary>
    public const string Id = RuleIds.LintCouldNotRun;

    /// <summary>The one-line message for an exception that escaped the engine.</summary>
    public static string Describe(Exception ex) =>
        LintCouldNotRun.Descriptor.Format(System.Globalization.CultureInfo.CurrentUICulture, [$"{ex.GetType().Name}: {FirstLine(ex.Message)}"]);

    /// <summary>The one-line message for a problem the front found itself (e.g. an output it refuses to write).</summary>
    public static string Describe(string problem) => LintCouldNotRun.Descriptor.Format(System.Globalization.CultureInfo.CurrentUICulture, [problem]);

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message.Substring(0, end);
    }
}

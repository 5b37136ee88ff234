using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>MST0001: a file could not be read or parsed.</summary>
internal sealed class UnreadableInput : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.UnreadableInput,
        name: nameof(UnreadableInput),
        title: "A file could not be read or parsed",
        messageFormat: "{0}",
        RuleCategory.Input, Severity.Warning,
        description: "A certificate, configuration or container file could not be read or parsed (corrupt PEM or DER, invalid JSON, a file too large or unreadable). Whatever it holds was not checked.");

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.Problems(RuleIds.UnreadableInput).Select(p => Diagnostic.Create(Descriptor, p.Location, p.Message))
            .Concat(context.Deployments.SelectMany(d => d.Errors)
                .Select(e => Diagnostic.Create(Descriptor, e.Location, $"'{Path.GetFileName(e.Location.Path)}' could not be read: {e.Message}")));
}

using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>MST0001: a file could not be read or parsed.</summary>
internal sealed class UnreadableInput : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.UnreadableInput, nameof(UnreadableInput), RuleCategory.Input, Severity.Warning);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.Problems(RuleIds.UnreadableInput).Select(p => Diagnostic.Create(Descriptor, p.Location, p.Message))
            .Concat(context.Deployments.SelectMany(d => d.Errors)
                .Select(e => Diagnostic.Create(Descriptor, e.Location, $"'{Path.GetFileName(e.Location.Path)}' could not be read: {e.Message}")));
}

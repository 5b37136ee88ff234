using MustStaple.Diagnostics;
using MustStaple.Localization;

namespace MustStaple.Rules;

/// <summary>MST0001: a file could not be read or parsed.</summary>
internal sealed class UnreadableInput : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.UnreadableInput, nameof(UnreadableInput), RuleCategory.Input, Severity.Warning);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.Problems(RuleIds.UnreadableInput).Select(p => Diagnostic.Create(Descriptor, p.Location, p.Text))
            .Concat(context.Deployments.SelectMany(d => d.Errors)
                .Select(e => Diagnostic.Create(Descriptor, e.Location, Texts.Input.Text("CouldNotBeRead", Path.GetFileName(e.Location.Path), e.Text))));
}

using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>MST0005: a PFX that no deployment serves could not be opened, so it was not checked.</summary>
internal sealed class UnservedPfxNotChecked : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.UnservedPfxNotChecked, nameof(UnservedPfxNotChecked), RuleCategory.Input, Severity.Note);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.Problems(RuleIds.PfxCannotBeOpened).Where(p => !PfxCannotBeOpened.IsServed(context, p.Location.Path))
            .Select(p => Diagnostic.Create(Descriptor, p.Location, Path.GetFileName(p.Location.Path)));
}

using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>MST0005: a PFX that no deployment serves could not be opened, so it was not checked.</summary>
internal sealed class UnservedPfxNotChecked : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.UnservedPfxNotChecked,
        name: nameof(UnservedPfxNotChecked),
        title: "A PFX file that nothing serves was not checked",
        messageFormat: "'{0}' was not checked: no password known opens it (the empty password and the passwords given to the run were tried) and no Kestrel configuration serves it",
        RuleCategory.Input, Severity.Note,
        description: "A PKCS#12 (PFX) file that no Kestrel endpoint serves (a test fixture, a client certificate) could not be opened with the empty password or the password named by --pfx-password-env. Nothing is known about it; no server serves it from this configuration.");

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.Problems(RuleIds.PfxCannotBeOpened).Where(p => !PfxCannotBeOpened.IsServed(context, p.Location.Path))
            .Select(p => Diagnostic.Create(Descriptor, p.Location, Path.GetFileName(p.Location.Path)));
}

using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>MST1007: a CSR or OpenSSL config requests must-staple.</summary>
internal sealed class MustStapleRequested : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.MustStapleRequested, nameof(MustStapleRequested), RuleCategory.Certificate, Severity.Note);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.CertificateFiles.SelectMany(f => f.Requests)
            .Select(r => Diagnostic.Create(Descriptor, r.Origin, r.Description));
}

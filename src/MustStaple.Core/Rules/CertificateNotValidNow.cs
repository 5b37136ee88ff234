using MustStaple.Diagnostics;
using MustStaple.Localization;

namespace MustStaple.Rules;

/// <summary>MST1006: a served must-staple certificate is expired or not yet valid.</summary>
internal sealed class CertificateNotValidNow : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.CertificateNotValidNow, nameof(CertificateNotValidNow), RuleCategory.Certificate, Severity.Warning);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context)
    {
        foreach (var cert in context.MustStapleLeaves)
        {
            if (context.Now > cert.NotAfter)
                yield return Create(cert, Texts.Rules.Text("CertificateNotValidNow.Expired"), cert.NotAfter, context.Now);
            else if (context.Now < cert.NotBefore)
                yield return Create(cert, Texts.Rules.Text("CertificateNotValidNow.NotYetValid"), cert.NotBefore, context.Now);
        }
    }

    private static Diagnostic Create(Certificates.CertificateInfo cert, LocalizedText what, DateTimeOffset when, DateTimeOffset now) =>
        Diagnostic.Create(Descriptor, cert.Origin, cert.DisplayName, what, when.UtcDateTime, now.UtcDateTime); // instants: not fingerprinted
}

using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>MST1005: a CA certificate carries must-staple.</summary>
internal sealed class MustStapleOnCaCertificate : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.MustStapleOnCaCertificate, nameof(MustStapleOnCaCertificate), RuleCategory.Certificate, Severity.Warning);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.Certificates
            .Where(c => c.IsCa && c.IsMustStaple)
            .Select(c => Diagnostic.Create(Descriptor, c.Origin, c.DisplayName));
}

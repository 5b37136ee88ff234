using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>MST2002: a certificate sets both <c>Path</c> and <c>Subject</c>.</summary>
internal sealed class MultipleCertificateSources : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.MultipleCertificateSources, nameof(MultipleCertificateSources), RuleCategory.Configuration, Severity.Error);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.Deployments.SelectMany(d => d.CertificateSections)
            .Where(s => s.Path is not null && s.Subject is not null)
            .Select(s => Diagnostic.Create(Descriptor, s.Subject!.KeyLocation, [s.Path!.KeyLocation], s.Owner));
}

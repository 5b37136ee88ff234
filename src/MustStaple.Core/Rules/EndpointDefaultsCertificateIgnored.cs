using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>MST2001: <c>EndpointDefaults:Certificate</c> is ignored by Kestrel.</summary>
internal sealed class EndpointDefaultsCertificateIgnored : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.EndpointDefaultsCertificateIgnored, nameof(EndpointDefaultsCertificateIgnored), RuleCategory.Configuration, Severity.Error);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.Deployments.Where(d => d.EndpointDefaultsCertificate is not null)
            .Select(d => Diagnostic.Create(Descriptor, d.EndpointDefaultsCertificate!.KeyLocation));
}

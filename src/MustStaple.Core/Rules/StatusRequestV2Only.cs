using MustStaple.Certificates;
using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>MST1003: the TLS Feature requires status_request_v2 only, which no mainstream server staples.</summary>
internal sealed class StatusRequestV2Only : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.StatusRequestV2Only, nameof(StatusRequestV2Only), RuleCategory.Certificate, Severity.Error);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.Certificates
            .Where(c => !c.IsCa && c.TlsFeature is { RequiresStatusRequestV2: true, RequiresStatusRequest: false })
            .Select(c => Diagnostic.Create(Descriptor, c.Origin, c.DisplayName));
}

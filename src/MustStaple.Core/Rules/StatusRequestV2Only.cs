using MustStaple.Certificates;
using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>MST1003: the TLS Feature requires status_request_v2 only, which no mainstream server staples.</summary>
internal sealed class StatusRequestV2Only : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.StatusRequestV2Only,
        name: nameof(StatusRequestV2Only),
        title: "TLS Feature lists status_request_v2 without status_request",
        messageFormat: "Certificate '{0}' requires status_request_v2 (17) without status_request (5): Kestrel, OpenSSL and other mainstream servers never staple v2 responses. Reissue it without the TLS Feature extension",
        RuleCategory.Certificate, Severity.Error,
        description: "RFC 6961 multi-stapling (status_request_v2) is not implemented by OpenSSL, .NET or other mainstream servers; a certificate requiring it can never be served as its TLS Feature demands.");

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.Certificates
            .Where(c => !c.IsCa && c.TlsFeature is { RequiresStatusRequestV2: true, RequiresStatusRequest: false })
            .Select(c => Diagnostic.Create(Descriptor, c.Origin, c.DisplayName));
}

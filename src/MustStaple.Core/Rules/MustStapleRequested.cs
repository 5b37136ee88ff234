using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>MST1007: a CSR or OpenSSL config requests must-staple.</summary>
internal sealed class MustStapleRequested : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.MustStapleRequested,
        name: nameof(MustStapleRequested),
        title: "Certificate request asks for must-staple",
        messageFormat: "The {0} requests must-staple (TLS Feature status_request): every certificate issued from it must be stapled on every handshake, and Let's Encrypt no longer issues such certificates. Remove the tlsfeature / 1.3.6.1.5.5.7.1.24 request unless every server that will use it staples",
        RuleCategory.Certificate, Severity.Note,
        description: "A PKCS#10 request or an OpenSSL configuration section asks the CA for the TLS Feature extension. Certificates issued from it will break on clients that enforce must-staple wherever the server does not staple.");

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.CertificateFiles.SelectMany(f => f.Requests)
            .Select(r => Diagnostic.Create(Descriptor, r.Origin, r.Description));
}

using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>MST1001: a must-staple certificate without an http OCSP URL can never be stapled.</summary>
internal sealed class MustStapleWithoutOcspResponder : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.MustStapleWithoutOcspResponder,
        name: nameof(MustStapleWithoutOcspResponder),
        title: "Must-staple certificate has no http OCSP URL",
        messageFormat: "Certificate '{0}' is must-staple but {1}: no server can staple it, so Firefox and GnuTLS will refuse the connection. Reissue it without must-staple (or with an http:// OCSP URL)",
        RuleCategory.Certificate, Severity.Error,
        description: "The certificate's TLS Feature extension requires an OCSP staple, but its Authority Information Access has no OCSP URL with the http scheme. Servers (Kestrel, OpenSSL, nginx) fetch OCSP only over http, so no staple can ever be sent.");

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.MustStapleLeaves
            .Where(c => !c.HttpOcspUrls.Any())
            .Select(c => Diagnostic.Create(Descriptor, c.Origin, c.DisplayName,
                c.OcspUrls.Count == 0 ? "has no OCSP URL" : $"its only OCSP URL{(c.OcspUrls.Count > 1 ? "s are" : " is")} {string.Join(", ", c.OcspUrls)} (not http)"));
}

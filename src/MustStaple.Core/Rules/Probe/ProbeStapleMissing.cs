using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>MST6001: the live server served its must-staple certificate without a staple on every handshake.</summary>
internal sealed class ProbeStapleMissing : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.ProbeStapleMissing,
        name: nameof(ProbeStapleMissing),
        title: "Must-staple certificate served without an OCSP staple",
        messageFormat: "{0} served must-staple certificate '{1}' without an OCSP staple on {2} ({3}): Firefox refuses the connection (MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING) and so does GnuTLS. Turn OCSP stapling on in the server and let it reach the responder ({4}), or serve a certificate without must-staple",
        RuleCategory.Probe, Severity.Error,
        description: "The probe asked for an OCSP staple (status_request) on every handshake and the server, serving a must-staple certificate, sent none. Clients that enforce must-staple (Firefox, GnuTLS) refuse every such connection.");

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context)
    {
        foreach (var (endpoint, leaf, completed) in ProbeVerdicts.MustStaple(context))
        {
            if (completed.Any(h => h.Staple is not null)) continue;
            var all = completed.Count == 1 ? "its only handshake" : $"all {completed.Count} handshakes";
            yield return Diagnostic.Create(Descriptor, endpoint.Location, endpoint.Target.Display, leaf.DisplayName, all,
                ProbeVerdicts.Versions(completed), leaf.OcspUrls.Count > 0 ? string.Join(", ", leaf.OcspUrls) : "the certificate names none");
        }
    }
}

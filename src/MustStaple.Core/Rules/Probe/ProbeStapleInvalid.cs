using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>MST6002: the live server stapled a response that a must-staple client rejects.</summary>
internal sealed class ProbeStapleInvalid : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.ProbeStapleInvalid,
        name: nameof(ProbeStapleInvalid),
        title: "Stapled OCSP response is not valid for the served certificate",
        messageFormat: "{0} stapled an OCSP response for must-staple certificate '{1}' that {2} ({3} of {4}, {5}): Firefox and GnuTLS reject it and refuse the connection. Make the server fetch a fresh response from the certificate's responder (a staple file needs replacing), then reload it",
        RuleCategory.Probe, Severity.Error,
        description: "The server stapled an OCSP response, but it is not a successful response, names another certificate, is not signed by the issuer or a responder it delegated to, says the certificate is revoked or unknown, or is expired or not yet valid at the time of the probe. A must-staple client treats it as no staple at all.");

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context)
    {
        foreach (var (endpoint, leaf, completed) in ProbeVerdicts.MustStaple(context))
        {
            var bad = endpoint.Handshakes
                .Select((h, i) => (Handshake: h, Problem: endpoint.Staples[i] is { } facts ? StapleFileInvalid.Problem(facts, context.Now) : null))
                .Where(x => x.Problem is not null).ToList();
            if (bad.Count == 0) continue;
            var first = bad[0];
            yield return Diagnostic.Create(Descriptor, endpoint.Location, endpoint.Target.Display, leaf.DisplayName, first.Problem,
                ProbeVerdicts.Numbers(bad.Select(b => b.Handshake)), completed.Count == 1 ? "its only handshake" : $"{completed.Count} handshakes",
                ProbeVerdicts.Versions(bad.Select(b => b.Handshake)));
        }
    }
}

using MustStaple.Diagnostics;
using MustStaple.Servers;

namespace MustStaple.Rules;

/// <summary>MST4004: HAProxy serves a must-staple certificate without a &lt;crt&gt;.ocsp file beside it.</summary>
internal sealed class HAProxyOcspFileMissing : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.HAProxyOcspFileMissing,
        name: nameof(HAProxyOcspFileMissing),
        title: "HAProxy serves a must-staple certificate without a .ocsp file",
        messageFormat: "Must-staple certificate '{0}' is served by {1} without '{2}': HAProxy 2.6 never fetches OCSP itself and logs nothing, so no handshake carries a staple and Firefox and GnuTLS refuse every connection. Write a DER OCSP response to '{2}' before HAProxy starts, and refresh it (then reload, or 'set ssl ocsp-response' on the runtime API)",
        RuleCategory.Servers, Severity.Error,
        description: "HAProxy up to 2.7 staples only a response it finds in <crt>.ocsp beside the certificate at startup; it never fetches one ('ocsp-update' arrived in 2.8 and is a fatal error in 2.6). Without the file it starts silently and never staples.");

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.ServerServedMustStaple()
            .Where(s => s.Endpoint.Server == ServerKind.HAProxy && s.Served.StapleFile is null)
            .Select(s => Diagnostic.Create(Descriptor, s.Served.Certificate.Location, [s.Leaf.Origin],
                s.Leaf.DisplayName, s.Endpoint.Name, s.Served.Certificate.Value + ".ocsp"));
}

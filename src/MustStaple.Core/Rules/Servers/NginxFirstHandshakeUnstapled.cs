using MustStaple.Diagnostics;
using MustStaple.Servers;

namespace MustStaple.Rules;

/// <summary>MST4006: nginx fetching OCSP itself leaves the first handshake of every worker unstapled after each start or reload.</summary>
internal sealed class NginxFirstHandshakeUnstapled : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.NginxFirstHandshakeUnstapled,
        name: nameof(NginxFirstHandshakeUnstapled),
        title: "nginx leaves the first handshake of every worker unstapled",
        messageFormat: "Must-staple certificate '{0}' is stapled by {1} without 'ssl_stapling_file': nginx fetches the response lazily, per worker, so the first handshake each worker handles after every start or reload carries no staple and must-staple clients refuse it. Fetch the response ahead (e.g. 'openssl ocsp … -respout ocsp.der' in a timer) and add 'ssl_stapling_file ocsp.der;'",
        RuleCategory.Servers, Severity.Warning,
        description: "With ssl_stapling on and no ssl_stapling_file, an nginx worker starts its OCSP fetch on its first handshake and does not wait for it: that handshake is unstapled. With N workers the first N handshakes fail in must-staple clients, again after every reload (new workers). Only ssl_stapling_file staples from the first handshake.");

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.ServerServedMustStaple()
            .Where(s => s.Endpoint.Server == ServerKind.Nginx && s.Endpoint.StaplingOn && s.Served.StapleFile is null
                && s.IssuerCandidates(context.FileAt).Any(c => ServerServed.IsIssuerOf(c, s.Leaf))) // else MST4002: it never staples
            .Select(s => Diagnostic.Create(Descriptor, s.Endpoint.StaplingDirective!.Location, [s.Served.Certificate.Location, s.Leaf.Origin],
                s.Leaf.DisplayName, s.Endpoint.Name));
}

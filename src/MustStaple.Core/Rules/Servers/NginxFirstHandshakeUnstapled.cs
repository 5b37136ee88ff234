using MustStaple.Diagnostics;
using MustStaple.Servers;

namespace MustStaple.Rules;

/// <summary>MST4006: nginx fetching OCSP itself leaves the first handshake of every worker unstapled after each start or reload.</summary>
internal sealed class NginxFirstHandshakeUnstapled : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.NginxFirstHandshakeUnstapled, nameof(NginxFirstHandshakeUnstapled), RuleCategory.Servers, Severity.Warning);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.ServerServedMustStaple()
            .Where(s => s.Endpoint.Server == ServerKind.Nginx && s.Endpoint.StaplingOn && s.Served.StapleFile is null
                && s.IssuerCandidates(context.FileAt).Any(c => ServerServed.IsIssuerOf(c, s.Leaf))) // else MST4002: it never staples
            .Select(s => Diagnostic.Create(Descriptor, s.Endpoint.StaplingDirective!.Location, [s.Served.Certificate.Location, s.Leaf.Origin],
                s.Leaf.DisplayName, s.Endpoint.Label));
}

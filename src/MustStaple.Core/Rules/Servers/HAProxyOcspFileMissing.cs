using MustStaple.Diagnostics;
using MustStaple.Servers;

namespace MustStaple.Rules;

/// <summary>MST4004: HAProxy serves a must-staple certificate without a &lt;crt&gt;.ocsp file beside it.</summary>
internal sealed class HAProxyOcspFileMissing : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.HAProxyOcspFileMissing, nameof(HAProxyOcspFileMissing), RuleCategory.Servers, Severity.Error);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.ServerServedMustStaple()
            .Where(s => s.Endpoint.Server == ServerKind.HAProxy && s.Served.StapleFile is null)
            .Select(s => Diagnostic.Create(Descriptor, s.Served.Certificate.Location, [s.Leaf.Origin],
                s.Leaf.DisplayName, s.Endpoint.Label, s.Served.Certificate.Value + ".ocsp"));
}

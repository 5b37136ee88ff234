using MustStaple.Diagnostics;
using MustStaple.Localization;
using MustStaple.Servers;

namespace MustStaple.Rules;

/// <summary>MST4001: a server serves a must-staple certificate with stapling switched off.</summary>
internal sealed class StaplingOff : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.StaplingOff, nameof(StaplingOff), RuleCategory.Servers, Severity.Error);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.ServerServedMustStaple()
            .Where(s => s.Endpoint.Server != ServerKind.HAProxy && !s.Endpoint.StaplingOn)
            .Select(s => Diagnostic.Create(Descriptor, s.Endpoint.StaplingDirective?.Location ?? s.Served.Certificate.Location,
                [s.Served.Certificate.Location, s.Leaf.Origin], s.Leaf.DisplayName, s.Endpoint.Label,
                s.Endpoint.StaplingDirective is { } d ? Texts.Rules.Text("StaplingOff.Directive", d.Name, d.Value) : Texts.Rules.Text("StaplingOff.Default"), Fix(s.Endpoint.Server)));

    private static LocalizedText Fix(ServerKind server) => Texts.Rules.Text(server switch
    {
        ServerKind.Nginx => "StaplingOff.Fix.Nginx",
        ServerKind.Apache => "StaplingOff.Fix.Apache",
        ServerKind.Caddy => "StaplingOff.Fix.Caddy",
        _ => "StaplingOff.Fix",
    });
}

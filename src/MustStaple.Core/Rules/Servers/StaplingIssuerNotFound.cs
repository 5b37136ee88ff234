using MustStaple.Diagnostics;
using MustStaple.Localization;
using MustStaple.Servers;

namespace MustStaple.Rules;

/// <summary>MST4002: stapling is on, but the server cannot find the certificate's issuer at startup, so it never staples.</summary>
internal sealed class StaplingIssuerNotFound : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.StaplingIssuerNotFound, nameof(StaplingIssuerNotFound), RuleCategory.Servers, Severity.Error);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context)
    {
        foreach (var s in context.ServerServedMustStaple())
        {
            if (!NeedsIssuer(s)) continue;
            if (s.IssuerCandidates(context.FileAt).Any(c => ServerServed.IsIssuerOf(c, s.Leaf))) continue;
            var looked = LocalizedText.Join(s.Served.IssuerSources.Select(r => $"'{r.Value}'").Prepend($"'{s.Served.Certificate.Value}'"));
            var (effect, fix) = s.Endpoint.Server switch
            {
                ServerKind.Nginx => (Texts.Rules.Text("StaplingIssuerNotFound.Effect.Nginx"), Texts.Rules.Text("StaplingIssuerNotFound.Fix.Nginx")),
                ServerKind.Apache => (Texts.Rules.Text("StaplingIssuerNotFound.Effect.Apache"), Texts.Rules.Text("StaplingIssuerNotFound.Fix.Apache")),
                ServerKind.HAProxy => (Texts.Rules.Text("StaplingIssuerNotFound.Effect.HAProxy"), Texts.Rules.Text("StaplingIssuerNotFound.Fix.HAProxy", s.Served.Certificate.Value)),
                _ => (Texts.Rules.Text("StaplingIssuerNotFound.Effect.Caddy"), Texts.Rules.Text("StaplingIssuerNotFound.Fix.Caddy")),
            };
            yield return Diagnostic.Create(Descriptor, s.Served.Certificate.Location, [s.Leaf.Origin],
                s.Leaf.DisplayName, s.Endpoint.Label, s.Leaf.Issuer, looked, effect, fix);
        }
    }

    // When the issuer matters: nginx fetching itself (a staple file needs none), Apache with SSLUseStapling, HAProxy with a
    // .ocsp file (without one, MST4004 already reports), Caddy only when no caIssuers URL lets it download the issuer.
    private static bool NeedsIssuer(ServerServed s) => s.Endpoint.Server switch
    {
        ServerKind.Nginx => s.Endpoint.StaplingOn && s.Served.StapleFile is null,
        ServerKind.Apache => s.Endpoint.Setting("SSLUseStapling")?.IsOn == true,
        ServerKind.HAProxy => s.Served.StapleFile is not null,
        ServerKind.Caddy => s.Endpoint.StaplingOn && !s.Leaf.HttpCaIssuerUrls.Any(),
        _ => false,
    };
}

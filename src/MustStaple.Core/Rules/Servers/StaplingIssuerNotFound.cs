using MustStaple.Diagnostics;
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
            var looked = string.Join(", ", s.Served.IssuerSources.Select(r => $"'{r.Value}'").Prepend($"'{s.Served.Certificate.Value}'"));
            var (effect, fix) = s.Endpoint.Server switch
            {
                ServerKind.Nginx => ("nginx logs '\"ssl_stapling\" ignored, issuer certificate not found' and never staples",
                    "Serve the full chain in ssl_certificate (leaf first, then the intermediate), or name the issuer in ssl_trusted_certificate"),
                ServerKind.Apache => ("Apache logs AH02217 'can't retrieve issuer certificate!' and never staples",
                    "Put the intermediate after the leaf in SSLCertificateFile, or name it in SSLCertificateChainFile or SSLCACertificateFile"),
                ServerKind.HAProxy => ("HAProxy refuses to start ('impossible to compute the OCSP certificate ID')",
                    $"Append the intermediate to '{s.Served.Certificate.Value}' or put it in '{s.Served.Certificate.Value}.issuer'"),
                _ => ("Caddy cannot fetch an OCSP response and never staples (the certificate has no http caIssuers URL)",
                    "Serve the full chain (leaf first, then the intermediate) in the certificate file"),
            };
            yield return Diagnostic.Create(Descriptor, s.Served.Certificate.Location, [s.Leaf.Origin],
                s.Leaf.DisplayName, s.Endpoint.Name, s.Leaf.Issuer, looked, effect, fix);
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

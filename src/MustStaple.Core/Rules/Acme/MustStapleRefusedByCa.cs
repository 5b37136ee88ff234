using System.Globalization;
using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>MST5001: an ACME client requests must-staple from a CA that refuses it (Let's Encrypt since 2025-05-07).</summary>
internal sealed class MustStapleRefusedByCa : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.MustStapleRefusedByCa,
        name: nameof(MustStapleRefusedByCa),
        title: "ACME client requests must-staple from a CA that refuses it",
        messageFormat: "{0} requests a must-staple certificate ('{1}') from {2}{3}, which has refused must-staple requests since {4}: issuance and every renewal fail, and the site goes down when the current certificate expires. Remove '{1}', then reissue the certificate without it",
        RuleCategory.Acme, Severity.Error,
        description: "Let's Encrypt refuses every order whose CSR carries the TLS Feature extension since 2025-05-07 (since 2025-01-30 for accounts that never issued one), no longer puts OCSP URLs in certificates, and turned its OCSP responders off on 2025-08-06. A certbot, lego, acme.sh, win-acme, Posh-ACME, dehydrated, mod_md or Caddy configuration that still asks for must-staple fails at its next renewal. The dates are shipped as data (Data/acme-authorities.json).");

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.AcmeRequests
            .Where(r => r.Authority.RefusesMustStaple(context.Now))
            .Select(r => Diagnostic.Create(Descriptor, r.Location, r.ServerLocation is { } at ? [at] : [],
                r.DisplayName, r.Switch, r.Authority.Name, r.Server is null ? $" (the {r.Client} default)" : "",
                r.Authority.MustStapleRefused!.Value.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
}

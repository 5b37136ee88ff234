using System.Globalization;
using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>MST1002: every OCSP responder of a must-staple certificate has been shut down.</summary>
internal sealed class OcspResponderRetired : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.OcspResponderRetired,
        name: nameof(OcspResponderRetired),
        title: "Must-staple certificate's OCSP responder is retired",
        messageFormat: "Certificate '{0}' is must-staple but its OCSP responder {1} ({2}) has been shut down since {3}: no staple can be fetched. Replace the certificate with one that is not must-staple",
        RuleCategory.Certificate, Severity.Error,
        description: "Every http OCSP URL of the must-staple certificate points at a responder that has been shut down (a dated list shipped with the tool). No server can fetch a response to staple.");

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context)
    {
        foreach (var cert in context.MustStapleLeaves)
        {
            var urls = cert.HttpOcspUrls.ToList();
            if (urls.Count == 0) continue; // MST1001's case
            var retired = urls.Select(u => context.RetiredResponders.Find(u, context.Now)).ToList();
            if (retired.Any(r => r is null)) continue;
            var first = retired[0]!;
            yield return Diagnostic.Create(Descriptor, cert.Origin, cert.DisplayName, urls[0], first.Operator,
                first.Retired.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
    }
}

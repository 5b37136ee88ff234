using System.Globalization;
using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>MST1002: every OCSP responder of a must-staple certificate has been shut down.</summary>
internal sealed class OcspResponderRetired : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.OcspResponderRetired, nameof(OcspResponderRetired), RuleCategory.Certificate, Severity.Error);

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

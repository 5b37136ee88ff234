using MustStaple.Diagnostics;
using MustStaple.Localization;

namespace MustStaple.Rules;

/// <summary>MST1001: a must-staple certificate without an http OCSP URL can never be stapled.</summary>
internal sealed class MustStapleWithoutOcspResponder : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.MustStapleWithoutOcspResponder, nameof(MustStapleWithoutOcspResponder), RuleCategory.Certificate, Severity.Error);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.MustStapleLeaves
            .Where(c => !c.HttpOcspUrls.Any())
            .Select(c => Diagnostic.Create(Descriptor, c.Origin, c.DisplayName,
                c.OcspUrls.Count == 0 ? Texts.Rules.Text("MustStapleWithoutOcspResponder.NoUrl")
                    : Texts.Rules.Text(c.OcspUrls.Count > 1 ? "MustStapleWithoutOcspResponder.OnlyUrls" : "MustStapleWithoutOcspResponder.OnlyUrl", LocalizedText.Join(c.OcspUrls))));
}

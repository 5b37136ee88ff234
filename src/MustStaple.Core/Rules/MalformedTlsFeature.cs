using MustStaple.Diagnostics;
using MustStaple.Localization;

namespace MustStaple.Rules;

/// <summary>MST1004: the TLS Feature extension is malformed, empty or critical.</summary>
internal sealed class MalformedTlsFeature : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.MalformedTlsFeature, nameof(MalformedTlsFeature), RuleCategory.Certificate, Severity.Warning);

    public DiagnosticDescriptor Rule => Descriptor;

    // What X509Facts.ReadTlsFeature finds wrong (the model's words), as the message says it.
    private static readonly Dictionary<string, string> Problems = new(StringComparer.Ordinal)
    {
        ["its value is not a SEQUENCE of INTEGER"] = "MalformedTlsFeature.NotSequence",
        ["its value contains an element that is not an INTEGER"] = "MalformedTlsFeature.NotInteger",
        ["it lists no feature"] = "MalformedTlsFeature.NoFeature",
        ["its value is not valid DER"] = "MalformedTlsFeature.NotDer",
    };

    public IEnumerable<Diagnostic> Evaluate(LintContext context)
    {
        foreach (var cert in context.Certificates)
        {
            if (cert.TlsFeature is not { } feature) continue;
            LocalizedText? problem = feature.Problem is { } p ? (Problems.TryGetValue(p, out var key) ? Texts.Rules.Text(key) : LocalizedText.Plain(p)) : null;
            if (problem is null && !feature.Critical) continue;
            yield return Diagnostic.Create(Descriptor, cert.Origin, cert.DisplayName,
                problem is null ? Texts.Rules.Text("MalformedTlsFeature.Critical") : feature.Critical ? Texts.Rules.Text("MalformedTlsFeature.AndCritical", problem) : problem);
        }
    }
}

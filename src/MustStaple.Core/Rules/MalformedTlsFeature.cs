using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>MST1004: the TLS Feature extension is malformed, empty or critical.</summary>
internal sealed class MalformedTlsFeature : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.MalformedTlsFeature,
        name: nameof(MalformedTlsFeature),
        title: "TLS Feature extension is malformed, empty or critical",
        messageFormat: "Certificate '{0}' has a TLS Feature extension (1.3.6.1.5.5.7.1.24) that {1}: clients may reject the certificate or ignore the extension. Reissue it with a well-formed, non-critical extension or none",
        RuleCategory.Certificate, Severity.Warning,
        description: "RFC 7633 defines the TLS Feature value as a non-empty SEQUENCE OF INTEGER and says the extension should not be marked critical. A malformed or empty value, or a critical flag, makes client behaviour unpredictable.");

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context)
    {
        foreach (var cert in context.Certificates)
        {
            if (cert.TlsFeature is not { } feature) continue;
            var problems = new List<string>();
            if (feature.Problem is not null) problems.Add(feature.Problem.Replace("its value", "is"));
            if (feature.Critical) problems.Add("is marked critical");
            if (problems.Count == 0) continue;
            yield return Diagnostic.Create(Descriptor, cert.Origin, cert.DisplayName, string.Join(" and ", problems));
        }
    }
}

using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>MST1004: the TLS Feature extension is malformed, empty or critical.</summary>
internal sealed class MalformedTlsFeature : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.MalformedTlsFeature, nameof(MalformedTlsFeature), RuleCategory.Certificate, Severity.Warning);

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

using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>MST2003: an http:// endpoint has certificate settings.</summary>
internal sealed class HttpsConfigOnHttpEndpoint : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.HttpsConfigOnHttpEndpoint, nameof(HttpsConfigOnHttpEndpoint), RuleCategory.Configuration, Severity.Error);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context)
    {
        foreach (var e in context.Deployments.SelectMany(d => d.Endpoints))
        {
            if (e.IsHttps || e.Origin.Value is null) continue;
            if (e.Certificate is not null)
                yield return Diagnostic.Create(Descriptor, e.Certificate.Section.KeyLocation, [e.Origin.ValueLocation], e.Name, "Certificate");
            else if (e.Sni.Count > 0)
                yield return Diagnostic.Create(Descriptor, e.Sni[0].Entry.KeyLocation, [e.Origin.ValueLocation], e.Name, "Sni");
        }
    }
}

using MustStaple.Diagnostics;
using MustStaple.Localization;

namespace MustStaple.Rules;

/// <summary>MST5002: an ACME client requests must-staple from another or an unknown CA: the certificate will be must-staple.</summary>
internal sealed class MustStapleCertificateRequested : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.MustStapleCertificateRequested, nameof(MustStapleCertificateRequested), RuleCategory.Acme, Severity.Note);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context)
    {
        var served = context.Planned.Served.GroupBy(s => s.Leaf.Origin).ToDictionary(g => g.Key, g => g.Count());
        return context.AcmeRequests
            .Where(r => !r.Authority.RefusesMustStaple(context.Now))
            .Select(r => Diagnostic.Create(Descriptor, r.Location, r.ServerLocation is { } at ? [at] : [],
                r.Label, r.Switch, r.Authority.Name, r.Server is null ? Texts.Rules.Text("Acme.ClientDefault", r.Client) : "",
                served.TryGetValue(r.Location, out var n)
                    ? Texts.Rules.Text("Acme.Served", n)
                    : Texts.Rules.Text("Acme.NotServed")));
    }
}

using MustStaple.Diagnostics;

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
                r.DisplayName, r.Switch, r.Authority.Name, r.Server is null ? $" (the {r.Client} default)" : "",
                served.TryGetValue(r.Location, out var n)
                    ? $"; {n} server endpoint(s) in this repository serve it and are judged as if it were there"
                    : "; no server configuration in this repository serves the files it writes"));
    }
}

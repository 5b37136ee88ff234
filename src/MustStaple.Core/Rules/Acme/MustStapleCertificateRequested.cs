using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>MST5002: an ACME client requests must-staple from another or an unknown CA: the certificate will be must-staple.</summary>
internal sealed class MustStapleCertificateRequested : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.MustStapleCertificateRequested,
        name: nameof(MustStapleCertificateRequested),
        title: "ACME client requests a must-staple certificate",
        messageFormat: "{0} requests a must-staple certificate ('{1}') from {2}{3}: every server that serves it must staple a valid OCSP response on every handshake, or Firefox and GnuTLS refuse the connection{4}",
        RuleCategory.Acme, Severity.Note,
        description: "The certificate does not exist yet, but it will carry the TLS Feature extension (status_request). The lint judges the servers in the repository that read the file the client writes as if the certificate were there (MST4xxx, with this request as a related location); a server elsewhere is not checked. Remove the switch unless every server that will serve the certificate staples.");

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

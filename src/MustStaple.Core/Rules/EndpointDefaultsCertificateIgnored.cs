using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>MST2001: <c>EndpointDefaults:Certificate</c> is ignored by Kestrel.</summary>
internal sealed class EndpointDefaultsCertificateIgnored : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.EndpointDefaultsCertificateIgnored,
        name: nameof(EndpointDefaultsCertificateIgnored),
        title: "EndpointDefaults:Certificate is ignored by Kestrel",
        messageFormat: "Kestrel ignores 'EndpointDefaults:Certificate' (it reads only Protocols, SslProtocols and ClientCertificateMode there): https endpoints get no certificate from it and Kestrel fails to start. Move it to 'Kestrel:Certificates:Default'",
        RuleCategory.Configuration, Severity.Error,
        description: "ConfigurationReader.ReadEndpointDefaults reads no Certificate key. A certificate configured there is never used.");

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.Deployments.Where(d => d.EndpointDefaultsCertificate is not null)
            .Select(d => Diagnostic.Create(Descriptor, d.EndpointDefaultsCertificate!.KeyLocation));
}

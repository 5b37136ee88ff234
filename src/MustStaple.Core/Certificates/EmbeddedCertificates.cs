using MustStaple.Diagnostics;
using MustStaple.Localization;
using MustStaple.Rules;

namespace MustStaple.Certificates;

/// <summary>
/// Certificates written inside another file (a Kubernetes TLS Secret's <c>tls.crt</c>): each certificate is located at
/// the line that holds the value, so findings point into the manifest like into any certificate file.
/// </summary>
internal static class EmbeddedCertificates
{
    /// <summary>Reads <paramref name="content"/> (PEM, or one DER certificate) under the key <paramref name="key"/>.</summary>
    public static CertificateFile Read(string key, byte[] content, SourceLocation at, LocalizedText what)
    {
        var certs = new List<CertificateInfo>();
        if (PemReader.LooksLikePem(content))
        {
            foreach (var b in PemReader.Read(System.Text.Encoding.ASCII.GetString(content), l => l is "CERTIFICATE" or "X509 CERTIFICATE"))
                if (b.Data is { } der && X509Facts.TryDescribeDer(der, at, CertificateFormat.Pem, certs.Count) is { } c) certs.Add(c);
        }
        else if (X509Facts.TryDescribeDer(content, at, CertificateFormat.Der, 0) is { } c)
        {
            certs.Add(c);
        }
        return new CertificateFile
        {
            Path = key, Certificates = certs, Requests = [],
            Problems = certs.Count == 0 ? [new LoadProblem(RuleIds.UnreadableInput, at, Texts.Input.Text("NoReadableCertificate", what))] : [],
        };
    }
}

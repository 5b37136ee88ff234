using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MustStaple.Diagnostics;

namespace MustStaple.Certificates;

/// <summary>
/// Reads a certificate the way .NET (and so Kestrel) does, for the ones BouncyCastle refuses: .NET's loader decides
/// whether it is a certificate at all, then its raw names and extension values feed the same fact extraction.
/// </summary>
internal static class PlatformCertificate
{
    /// <summary>The facts about <paramref name="der"/>, or null when .NET cannot load it as one X.509 certificate either.</summary>
    public static CertificateInfo? TryDescribe(byte[] der, SourceLocation origin, CertificateFormat format, int index, bool hasPrivateKey)
    {
        // Only Certificate ::= SEQUENCE { tbsCertificate SEQUENCE, … } reaches the platform loader, which would also
        // accept (and derive keys for) PKCS#12 and PKCS#7 blobs.
        if (!DerShape.IsSequenceOfSequence(der)) return null;
        X509Certificate2 cert;
        try
        {
#pragma warning disable SYSLIB0057 // X509CertificateLoader does not exist on net472 and net8.0; the bytes are a bare certificate
            cert = new X509Certificate2(der);
#pragma warning restore SYSLIB0057
        }
        catch (CryptographicException)
        {
            return null;
        }
        using (cert)
        {
            // A repeated extension: the first one counts, as OpenSSL's X509_get_ext_by_NID finds it.
            var extensions = new Dictionary<string, X509Extension>(StringComparer.Ordinal);
            foreach (var e in cert.Extensions)
                if (e.Oid?.Value is { } oid && !extensions.ContainsKey(oid)) extensions[oid] = e;
            var serial = cert.GetSerialNumber(); // little-endian
            Array.Reverse(serial);
            var fields = new X509Facts.Fields(
                cert.SubjectName.RawData, cert.IssuerName.RawData,
                serial.Length == 0 ? "0" : new Org.BouncyCastle.Math.BigInteger(serial).ToString(16), cert.RawData,
                cert.NotBefore.ToUniversalTime(), cert.NotAfter.ToUniversalTime(),
                oid => extensions.TryGetValue(oid, out var e) ? e.RawData : null,
                extensions.TryGetValue(TlsFeature.Oid, out var feature) && feature.Critical);
            return X509Facts.Describe(fields, origin, format, index, hasPrivateKey);
        }
    }
}

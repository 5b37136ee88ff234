using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MustStaple.Diagnostics;
using Org.BouncyCastle.Asn1;

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
            try
            {
                return Describe(cert, der, origin, format, index, hasPrivateKey);
            }
            catch (Exception ex) when (ParseFailure.IsExpected(ex))
            {
                return null; // loaded, but .NET cannot read its contents either (it fails on first use)
            }
        }
    }

    private static CertificateInfo Describe(X509Certificate2 cert, byte[] der, SourceLocation origin, CertificateFormat format, int index, bool hasPrivateKey)
    {
        // A repeated extension: the first one counts, as OpenSSL's X509_get_ext_by_NID finds it.
        var extensions = new Dictionary<string, System.Security.Cryptography.X509Certificates.X509Extension>(StringComparer.Ordinal);
        foreach (var e in cert.Extensions)
            if (e.Oid?.Value is { } oid && !extensions.ContainsKey(oid)) extensions[oid] = e;
        var serial = cert.GetSerialNumber(); // little-endian
        Array.Reverse(serial);
        var fields = new X509Facts.Fields(
            cert.SubjectName.RawData, cert.IssuerName.RawData,
            serial.Length == 0 ? "0" : new Org.BouncyCastle.Math.BigInteger(serial).ToString(16), cert.RawData,
            Validity(cert, der, notAfter: false), Validity(cert, der, notAfter: true),
            oid => extensions.TryGetValue(oid, out var e) ? e.RawData : null,
            extensions.TryGetValue(TlsFeature.Oid, out var feature) && feature.Critical);
        return X509Facts.Describe(fields, origin, format, index, hasPrivateKey);
    }

    // .NET reads times through OpenSSL, which refuses some encodings it loaded (a UTCTime without seconds, a time
    // zone offset); BouncyCastle's Time reads some of those from the validity SEQUENCE (the element after the issuer).
    // A time nobody can read (day 32, letters) leaves the validity unknown: open-ended, so no finding claims it expired.
    private static DateTime Validity(X509Certificate2 cert, byte[] der, bool notAfter)
    {
        try
        {
            return (notAfter ? cert.NotAfter : cert.NotBefore).ToUniversalTime();
        }
        catch (CryptographicException)
        {
        }
        try
        {
            var tbs = (Asn1Sequence)((Asn1Sequence)Asn1Object.FromByteArray(der))[0];
            var offset = tbs[0] is Asn1TaggedObject ? 1 : 0;
            var validity = (Asn1Sequence)tbs[offset + 3];
            return Org.BouncyCastle.Asn1.X509.Time.GetInstance(validity[notAfter ? 1 : 0]).ToDateTime().ToUniversalTime();
        }
        catch (Exception ex) when (ParseFailure.IsExpected(ex))
        {
            return notAfter ? DateTime.MaxValue : DateTime.MinValue;
        }
    }
}

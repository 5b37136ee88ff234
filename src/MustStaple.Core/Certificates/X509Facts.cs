using MustStaple.Diagnostics;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Utilities.Encoders;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;

namespace MustStaple.Certificates;

/// <summary>Extracts <see cref="CertificateInfo"/> from a BouncyCastle certificate.</summary>
internal static class X509Facts
{
    private const string OcspMethod = "1.3.6.1.5.5.7.48.1";
    private const string CaIssuersMethod = "1.3.6.1.5.5.7.48.2";

    /// <summary>Parses exactly one DER certificate; throws a parse exception on anything else.</summary>
    public static X509Certificate ParseDer(byte[] der)
    {
        var obj = Asn1Object.FromByteArray(der);
        return new X509Certificate(X509CertificateStructure.GetInstance(obj));
    }

    private static readonly DerObjectIdentifier TlsFeatureOid = new(TlsFeature.Oid);

    /// <summary>
    /// The facts about <paramref name="cert"/>. <paramref name="der"/> is the encoding it was parsed from, when at hand:
    /// the fingerprint is taken over those bytes instead of re-encoding the certificate.
    /// </summary>
    public static CertificateInfo Describe(X509Certificate cert, SourceLocation origin, CertificateFormat format,
        int index, bool hasPrivateKey = false, byte[]? der = null)
    {
        var (ocsp, caIssuers) = ReadAia(cert);
        var subject = cert.SubjectDN;
        var issuer = cert.IssuerDN;
        var selfIssued = subject.Equivalent(issuer, inOrder: true);
        var ski = ReadSubjectKeyId(cert);
        var aki = ReadAuthorityKeyId(cert);
        return new CertificateInfo
        {
            Origin = origin,
            Format = format,
            IndexInFile = index,
            Subject = subject.ToString(),
            Issuer = issuer.ToString(),
            SubjectKey = Hex.ToHexString(subject.GetEncoded()),
            IssuerKey = Hex.ToHexString(issuer.GetEncoded()),
            SerialNumber = cert.SerialNumber.ToString(16),
            Sha256 = Sha256Hex(der ?? cert.GetEncoded()),
            SubjectKeyId = ski,
            AuthorityKeyId = aki,
            IsCa = cert.GetBasicConstraints() >= 0,
            IsSelfSigned = selfIssued && IsOwnIssuer(ski, aki),
            NotBefore = new DateTimeOffset(DateTime.SpecifyKind(cert.NotBefore, DateTimeKind.Utc)),
            NotAfter = new DateTimeOffset(DateTime.SpecifyKind(cert.NotAfter, DateTimeKind.Utc)),
            TlsFeature = ReadTlsFeature(cert.GetExtensionValue(TlsFeatureOid),
                cert.GetCriticalExtensionOids()?.Contains(TlsFeature.Oid) == true),
            OcspUrls = ocsp,
            CaIssuerUrls = caIssuers,
            HasPrivateKey = hasPrivateKey,
        };
    }

    /// <summary>Reads a TLS Feature extension value (the OCTET STRING), or null when absent.</summary>
    public static TlsFeature? ReadTlsFeature(Asn1OctetString? value, bool critical)
    {
        if (value is null) return null;
        var features = new List<long>();
        try
        {
            if (Asn1Object.FromByteArray(value.GetOctets()) is not Asn1Sequence seq)
                return new TlsFeature(features, critical, "its value is not a SEQUENCE of INTEGER");
            foreach (var element in seq)
            {
                if (element is not DerInteger i)
                    return new TlsFeature(features, critical, "its value contains an element that is not an INTEGER");
                features.Add(i.Value.BitLength > 31 ? -1 : i.Value.IntValue);
            }
            return new TlsFeature(features, critical, features.Count == 0 ? "it lists no feature" : null);
        }
        catch (Exception ex) when (ParseFailure.IsExpected(ex))
        {
            return new TlsFeature(features, critical, "its value is not valid DER");
        }
    }

    private static (IReadOnlyList<string> Ocsp, IReadOnlyList<string> CaIssuers) ReadAia(X509Certificate cert)
    {
        var ocsp = new List<string>();
        var ca = new List<string>();
        try
        {
            var ext = cert.GetExtensionValue(X509Extensions.AuthorityInfoAccess);
            if (ext is null) return (ocsp, ca);
            var aia = AuthorityInformationAccess.GetInstance(X509ExtensionUtilities.FromExtensionValue(ext));
            foreach (var d in aia.GetAccessDescriptions())
            {
                if (d.AccessLocation.TagNo != GeneralName.UniformResourceIdentifier) continue;
                var uri = DerIA5String.GetInstance(d.AccessLocation.Name).GetString();
                var method = d.AccessMethod.Id;
                if (method == OcspMethod) ocsp.Add(uri);
                else if (method == CaIssuersMethod) ca.Add(uri);
            }
        }
        catch (Exception ex) when (ParseFailure.IsExpected(ex))
        {
            // A malformed AIA gives .NET no URL either: treat it as absent.
        }
        return (ocsp, ca);
    }

    private static string? ReadSubjectKeyId(X509Certificate cert)
    {
        try
        {
            var ext = cert.GetExtensionValue(X509Extensions.SubjectKeyIdentifier);
            return ext is null ? null
                : Hex.ToHexString(SubjectKeyIdentifier.GetInstance(X509ExtensionUtilities.FromExtensionValue(ext)).GetKeyIdentifier());
        }
        catch (Exception ex) when (ParseFailure.IsExpected(ex))
        {
            return null;
        }
    }

    private static string? ReadAuthorityKeyId(X509Certificate cert)
    {
        try
        {
            var ext = cert.GetExtensionValue(X509Extensions.AuthorityKeyIdentifier);
            var id = ext is null ? null
                : AuthorityKeyIdentifier.GetInstance(X509ExtensionUtilities.FromExtensionValue(ext)).KeyIdentifier;
            return id is null ? null : Hex.ToHexString(id.GetOctets());
        }
        catch (Exception ex) when (ParseFailure.IsExpected(ex))
        {
            return null;
        }
    }

    // Self-issued and, when key identifiers are present, issued by its own key. Key identifiers decide instead of a
    // signature check: verifying an EC signature costs ~100 ms of BouncyCastle curve set-up per run (docs/performance.md),
    // and a self-issued certificate signed by another key (a rollover link certificate) carries a differing AKI.
    private static bool IsOwnIssuer(string? ski, string? aki) =>
        aki is null || ski is null || string.Equals(aki, ski, StringComparison.Ordinal);

    internal static string Sha256Hex(byte[] data)
    {
#if NET
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(data)).ToLowerInvariant();
#else
        using var sha = System.Security.Cryptography.SHA256.Create();
        return Hex.ToHexString(sha.ComputeHash(data));
#endif
    }
}

/// <summary>Which exceptions mean "these bytes are not what they claim to be".</summary>
internal static class ParseFailure
{
    // BouncyCastle reports malformed ASN.1 through many exception types (IOException, ArgumentException,
    // InvalidCastException, FormatException, its own CertificateException…). Untrusted bytes must never
    // crash the run, so every exception is a parse failure except those that mean the process is broken.
    public static bool IsExpected(Exception ex) =>
        ex is not (OutOfMemoryException or StackOverflowException or AccessViolationException
            or ThreadAbortException or OperationCanceledException);
}

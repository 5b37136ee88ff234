using MustStaple.Diagnostics;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Utilities.Encoders;
using Org.BouncyCastle.X509;

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

    /// <summary>
    /// The facts about the DER certificate <paramref name="der"/>, read by BouncyCastle or, when BouncyCastle refuses
    /// it (an empty issuer, a repeated extension, odd time encodings…), the way .NET reads it: every certificate .NET
    /// loads is judged. Null when neither reads it. A certificate in plain DER is read by <see cref="DerCertificate"/>
    /// into the same facts without BouncyCastle's object tree.
    /// </summary>
    public static CertificateInfo? TryDescribeDer(byte[] der, SourceLocation origin, CertificateFormat format, int index, bool hasPrivateKey = false)
    {
        if (!_bouncyCastleOnly && DerCertificate.TryRead(der) is { } fields) return Describe(fields, origin, format, index, hasPrivateKey);
        return TryDescribeReadByBouncyCastle(der, origin, format, index, hasPrivateKey);
    }

    [ThreadStatic]
    private static bool _bouncyCastleOnly;

    /// <summary><see cref="TryDescribeDer"/> without any plain-DER reader: what it must agree with (tests).</summary>
    internal static CertificateInfo? TryDescribeWithBouncyCastle(byte[] der, SourceLocation origin, CertificateFormat format, int index, bool hasPrivateKey = false)
    {
        var outer = _bouncyCastleOnly;
        _bouncyCastleOnly = true;
        try
        {
            return TryDescribeReadByBouncyCastle(der, origin, format, index, hasPrivateKey);
        }
        finally
        {
            _bouncyCastleOnly = outer;
        }
    }

    private static CertificateInfo? TryDescribeReadByBouncyCastle(byte[] der, SourceLocation origin, CertificateFormat format, int index, bool hasPrivateKey)
    {
        try
        {
            return Describe(ParseDer(der), origin, format, index, hasPrivateKey, der);
        }
        catch (Exception ex) when (ParseFailure.IsExpected(ex))
        {
            return PlatformCertificate.TryDescribe(der, origin, format, index, hasPrivateKey);
        }
    }

    /// <summary>
    /// The facts about <paramref name="cert"/>. <paramref name="der"/> is the encoding it was parsed from, when at hand:
    /// the fingerprint is taken over those bytes instead of re-encoding the certificate.
    /// </summary>
    public static CertificateInfo Describe(X509Certificate cert, SourceLocation origin, CertificateFormat format,
        int index, bool hasPrivateKey = false, byte[]? der = null)
    {
        var fields = new Fields(
            cert.SubjectDN.GetEncoded(), cert.IssuerDN.GetEncoded(), cert.SerialNumber.ToString(16), der ?? cert.GetEncoded(),
            cert.NotBefore, cert.NotAfter, oid => cert.GetExtensionValue(new DerObjectIdentifier(oid))?.GetOctets(),
            cert.GetCriticalExtensionOids()?.Contains(TlsFeature.Oid) == true)
        {
            IsCa = cert.GetBasicConstraints() >= 0,
            SubjectText = cert.SubjectDN.ToString(),
            IssuerText = cert.IssuerDN.ToString(),
        };
        return Describe(fields, origin, format, index, hasPrivateKey);
    }

    /// <summary>What <see cref="CertificateInfo"/> is made of, whoever parsed the certificate. Times are UTC.</summary>
    internal sealed record Fields(byte[] SubjectDer, byte[] IssuerDer, string SerialHex, byte[] Der,
        DateTime NotBefore, DateTime NotAfter, Func<string, byte[]?> ExtensionValue, bool TlsFeatureCritical)
    {
        public bool? IsCa { get; init; }
        public string? SubjectText { get; init; }
        public string? IssuerText { get; init; }
    }

    internal static CertificateInfo Describe(Fields f, SourceLocation origin, CertificateFormat format, int index, bool hasPrivateKey)
    {
        var (ocsp, caIssuers) = ReadAia(f.ExtensionValue(X509Extensions.AuthorityInfoAccess.Id));
        var ski = ReadSubjectKeyId(f.ExtensionValue(X509Extensions.SubjectKeyIdentifier.Id));
        var aki = ReadAuthorityKeyId(f.ExtensionValue(X509Extensions.AuthorityKeyIdentifier.Id));
        var subjectKey = Hex.ToHexString(f.SubjectDer);
        var issuerKey = Hex.ToHexString(f.IssuerDer);
        // Each name is parsed once, and an issuer's once per run (a CA's certificates share it).
        ParsedName? subjectName = null, issuerName = null;
        ParsedName SubjectName() => subjectName ??= ParsedName.Of(f.SubjectDer);
        ParsedName IssuerName() => issuerName ??= ParsedName.Cached(issuerKey, f.IssuerDer);
        var selfIssued = string.Equals(subjectKey, issuerKey, StringComparison.Ordinal) || SubjectName().IsEquivalent(IssuerName());
        var tlsFeature = f.ExtensionValue(TlsFeature.Oid);
        return new CertificateInfo
        {
            Origin = origin,
            Format = format,
            IndexInFile = index,
            Subject = f.SubjectText ?? SubjectName().Text,
            Issuer = f.IssuerText ?? IssuerName().Text,
            SubjectKey = subjectKey,
            IssuerKey = issuerKey,
            SerialNumber = f.SerialHex,
            Sha256 = Sha256Hex(f.Der),
            SubjectKeyId = ski,
            AuthorityKeyId = aki,
            IsCa = f.IsCa ?? ReadIsCa(f.ExtensionValue(X509Extensions.BasicConstraints.Id)),
            IsSelfSigned = selfIssued && IsOwnIssuer(ski, aki),
            NotBefore = new DateTimeOffset(DateTime.SpecifyKind(f.NotBefore, DateTimeKind.Utc)),
            NotAfter = new DateTimeOffset(DateTime.SpecifyKind(f.NotAfter, DateTimeKind.Utc)),
            TlsFeature = tlsFeature is null ? null : ReadTlsFeature(new DerOctetString(tlsFeature), f.TlsFeatureCritical),
            OcspUrls = ocsp,
            CaIssuerUrls = caIssuers,
            HasPrivateKey = hasPrivateKey,
        };
    }

    /// <summary>A distinguished name as BouncyCastle reads and prints it; <see cref="Name"/> is null when it cannot.</summary>
    private sealed class ParsedName
    {
        private const int MaxCached = 1024;
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, ParsedName> Issuers = new(StringComparer.Ordinal);

        private ParsedName(X509Name? name, string text)
        {
            Name = name;
            Text = text;
        }

        public X509Name? Name { get; }

        // A name BouncyCastle cannot print (a string type it refuses) is shown as its DER in hex: it is only ever displayed.
        public string Text { get; }

        public static ParsedName Of(byte[] der)
        {
            X509Name name;
            try
            {
                name = X509Name.GetInstance(Asn1Object.FromByteArray(der));
            }
            catch (Exception ex) when (ParseFailure.IsExpected(ex))
            {
                return new ParsedName(null, "#" + Hex.ToHexString(der));
            }
            try
            {
                return new ParsedName(name, name.ToString());
            }
            catch (Exception ex) when (ParseFailure.IsExpected(ex))
            {
                return new ParsedName(name, "#" + Hex.ToHexString(der));
            }
        }

        // Bounded: the MSBuild node that runs the task lives across builds.
        public static ParsedName Cached(string key, byte[] der)
        {
            if (Issuers.TryGetValue(key, out var known)) return known;
            if (Issuers.Count >= MaxCached) Issuers.Clear();
            return Issuers.GetOrAdd(key, Of(der));
        }

        public bool IsEquivalent(ParsedName other)
        {
            if (Name is null || other.Name is null) return false;
            try
            {
                return Name.Equivalent(other.Name, inOrder: true);
            }
            catch (Exception ex) when (ParseFailure.IsExpected(ex))
            {
                return false;
            }
        }
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

    private static bool ReadIsCa(byte[]? value)
    {
        if (value is null) return false;
        try
        {
            return BasicConstraints.GetInstance(Asn1Object.FromByteArray(value)).IsCA();
        }
        catch (Exception ex) when (ParseFailure.IsExpected(ex))
        {
            return false; // OpenSSL and .NET treat an unreadable basicConstraints as "not a CA"
        }
    }

    private static (IReadOnlyList<string> Ocsp, IReadOnlyList<string> CaIssuers) ReadAia(byte[]? value)
    {
        if (value is null) return ([], []);
        if (!_bouncyCastleOnly && DerCertificate.TryReadAia(value, OcspMethod, CaIssuersMethod, out var plainOcsp, out var plainCa)) return (plainOcsp, plainCa);
        var ocsp = new List<string>();
        var ca = new List<string>();
        try
        {
            var aia = AuthorityInformationAccess.GetInstance(Asn1Object.FromByteArray(value));
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

    private static string? ReadSubjectKeyId(byte[]? value)
    {
        try
        {
            if (value is not null && !_bouncyCastleOnly && DerCertificate.TryReadSubjectKeyId(value, out var plain)) return Hex.ToHexString(plain);
            return value is null ? null : Hex.ToHexString(SubjectKeyIdentifier.GetInstance(Asn1Object.FromByteArray(value)).GetKeyIdentifier());
        }
        catch (Exception ex) when (ParseFailure.IsExpected(ex))
        {
            return null;
        }
    }

    private static string? ReadAuthorityKeyId(byte[]? value)
    {
        try
        {
            if (value is not null && !_bouncyCastleOnly && DerCertificate.TryReadAuthorityKeyId(value, out var plain)) return plain is null ? null : Hex.ToHexString(plain);
            var id = value is null ? null : AuthorityKeyIdentifier.GetInstance(Asn1Object.FromByteArray(value)).KeyIdentifier;
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
            or ThreadAbortException or OperationCanceledException or Discovery.WorkLimitException);
}

using Org.BouncyCastle.Asn1;

namespace MustStaple.Certificates;

/// <summary>What a binary (non-PEM) file holds, told from its ASN.1 shape alone.</summary>
internal enum DerKind
{
    /// <summary>Not one complete DER/BER object.</summary>
    NotDer,

    /// <summary>Valid ASN.1 of no kind listed here.</summary>
    Unknown,

    /// <summary>SEQUENCE { tbsCertificate, signatureAlgorithm, signature }.</summary>
    Certificate,

    /// <summary>A PKCS#10 certificate request.</summary>
    Request,

    /// <summary>A PKCS#7/CMS ContentInfo (a .p7b bundle, a signature).</summary>
    Cms,

    /// <summary>Something with nothing to check: a key, key parameters, a CRL, an OCSP message.</summary>
    NotACertificate,
}

/// <summary>Tells certificates from the other DER objects found beside them (keys, CRLs, OCSP responses, CMS).</summary>
internal static class DerShape
{
    /// <summary>True when <paramref name="der"/> starts SEQUENCE { SEQUENCE …: the shape of a certificate (and a CRL, a request).</summary>
    public static bool IsSequenceOfSequence(ReadOnlySpan<byte> der)
    {
        if (der.Length < 4 || der[0] != 0x30) return false;
        var lengthBytes = der[1] < 0x80 ? 0 : der[1] & 0x7f;
        if (lengthBytes > 4 || 2 + lengthBytes >= der.Length) return false;
        return der[2 + lengthBytes] == 0x30;
    }

    /// <summary>The kind of <paramref name="bytes"/>; the comments name what each <see cref="DerKind.NotACertificate"/> shape is.</summary>
    public static DerKind Classify(byte[] bytes)
    {
        Asn1Object obj;
        try
        {
            obj = Asn1Object.FromByteArray(bytes);
        }
        catch (Exception ex) when (ParseFailure.IsExpected(ex))
        {
            return DerKind.NotDer;
        }
        if (obj is not Asn1Sequence seq || seq.Count == 0) return DerKind.Unknown;
        var first = seq[0];
        if (first is DerEnumerated) return DerKind.NotACertificate; // an OCSP response
        if (first is DerObjectIdentifier) return DerKind.Cms;
        if (seq.Count == 3 && first is Asn1Sequence inner && seq[1] is Asn1Sequence && seq[2] is DerBitString)
            return Signed(inner);
        if (seq.Count == 2 && IsAlgorithmId(first) && seq[1] is DerBitString) return DerKind.NotACertificate; // a public key
        if (seq.Count == 2 && IsAlgorithmId(first) && seq[1] is Asn1OctetString) return DerKind.NotACertificate; // an encrypted private key
        if (first is DerInteger)
        {
            if (seq.Count >= 3 && IsAlgorithmId(seq[1]) && seq[2] is Asn1OctetString) return DerKind.NotACertificate; // a private key
            if (seq.Count >= 2 && seq[1] is Asn1OctetString) return DerKind.NotACertificate; // an EC private key
            if (seq.Cast<Asn1Encodable>().All(e => e is DerInteger))
                return DerKind.NotACertificate; // an RSA or DSA private key, an RSA public key, key parameters
        }
        if (seq.Count <= 2 && first is Asn1Sequence && (seq.Count == 1 || seq[1] is Asn1TaggedObject))
            return DerKind.NotACertificate; // an OCSP request
        return DerKind.Unknown;
    }

    // Certificate, CRL and request share SEQUENCE { tbs, algorithm, signature }; their "to be signed" parts differ.
    private static DerKind Signed(Asn1Sequence tbs)
    {
        if (tbs.Cast<Asn1Encodable>().Any(e => e is Asn1UtcTime or Asn1GeneralizedTime))
            return DerKind.NotACertificate; // a certificate revocation list (CRL)
        // CertificationRequestInfo: version, subject, subjectPKInfo, [0] attributes (which some writers omit).
        if (tbs.Count is 3 or 4 && tbs[0] is DerInteger && tbs[1] is Asn1Sequence && tbs[2] is Asn1Sequence { Count: 2 } spki
            && IsAlgorithmId(spki[0]) && spki[1] is DerBitString && (tbs.Count == 3 || tbs[3] is Asn1TaggedObject { TagNo: 0 }))
            return DerKind.Request;
        return DerKind.Certificate;
    }

    private static bool IsAlgorithmId(Asn1Encodable e) => e is Asn1Sequence { Count: >= 1 } s && s[0] is DerObjectIdentifier;
}

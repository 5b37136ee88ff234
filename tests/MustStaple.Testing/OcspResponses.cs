using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.X509;

namespace MustStaple.Testing;

/// <summary>DER OCSP responses for staple files (nginx ssl_stapling_file, HAProxy &lt;crt&gt;.ocsp), built with BouncyCastle.</summary>
public static class OcspResponses
{
    /// <summary>
    /// A successful response for <paramref name="leaf"/> issued by <paramref name="issuer"/>, signed by
    /// <paramref name="signer"/> (default: the issuer), without embedded certificates (the form every server accepts).
    /// </summary>
    public static byte[] For(TestCertificate leaf, TestCertificate issuer, DateTimeOffset thisUpdate, DateTimeOffset? nextUpdate,
        TestCertificate? signer = null, bool revoked = false)
    {
        var id = new CertificateID(CertificateID.DigestSha1, issuer.Certificate, leaf.Certificate.SerialNumber);
        var by = signer ?? issuer;
        var gen = new BasicOcspRespGenerator(new RespID(by.Certificate.SubjectDN));
        CertificateStatus status = revoked ? new RevokedStatus(thisUpdate.UtcDateTime, 1) : CertificateStatus.Good;
        gen.AddResponse(id, status, thisUpdate.UtcDateTime, nextUpdate?.UtcDateTime, null);
        var basic = gen.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", by.Key.Private), Array.Empty<X509Certificate>(), thisUpdate.UtcDateTime);
        return new OCSPRespGenerator().Generate(OCSPRespGenerator.Successful, basic).GetEncoded();
    }

    /// <summary>An unsuccessful response (no body) with the given status, e.g. <see cref="OcspRespStatus.TryLater"/>.</summary>
    public static byte[] Unsuccessful(int status) => new OCSPRespGenerator().Generate(status, null).GetEncoded();
}

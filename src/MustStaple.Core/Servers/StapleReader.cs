using System.Text;
using MustStaple.Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.X509;

namespace MustStaple.Servers;

/// <summary>
/// Reads a staple file (a DER OCSP response, as nginx's <c>ssl_stapling_file</c> and HAProxy's <c>&lt;crt&gt;.ocsp</c>
/// hold) with BouncyCastle and says what a client would find in it: status, whether it names the served certificate
/// (CertID against the served chain), signature, validity. Never throws for file content.
/// </summary>
internal static class StapleReader
{
    public static StapleFacts Read(byte[]? staple, byte[]? certificateFile, IEnumerable<byte[]?> issuerFiles)
    {
        if (staple is null) return new StapleFacts { Unusable = "it could not be read" };
        if (staple.Length == 0) return new StapleFacts { Unusable = "it is empty" };
        var certs = Certificates(certificateFile);
        if (certs.Count == 0) return new StapleFacts { Unusable = null, MatchesCertificate = true }; // nothing to judge it against
        var leaf = certs[0];
        var pool = certs.Skip(1).Concat(issuerFiles.SelectMany(Certificates)).ToList();
        var issuer = pool.FirstOrDefault(c => c.SubjectDN.Equivalent(leaf.IssuerDN, inOrder: true) && Verifies(leaf, c));
        try
        {
            var response = new OcspResp(staple);
            if (response.Status != OcspRespStatus.Successful)
                return new StapleFacts { Unusable = $"its status is {StatusName(response.Status)}, not successful" };
            if (response.GetResponseObject() is not BasicOcspResp basic)
                return new StapleFacts { Unusable = "it is not a basic OCSP response" };
            var single = basic.Responses.FirstOrDefault(r => Matches(r.GetCertID(), leaf, issuer));
            return new StapleFacts
            {
                MatchesCertificate = single is not null,
                SignatureValid = issuer is null ? null : SignedBy(basic, issuer),
                CertStatus = single is null ? null : single.GetCertStatus() switch
                {
                    null => "good",
                    RevokedStatus => "revoked",
                    _ => "unknown",
                },
                ThisUpdate = single is null ? null : Utc(single.ThisUpdate),
                NextUpdate = single?.NextUpdate is { } next ? Utc(next) : null,
            };
        }
        catch (Exception ex) when (ParseFailure.IsExpected(ex))
        {
            return new StapleFacts { Unusable = "it is not a DER OCSP response" };
        }
    }

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));

    private static string StatusName(int status) => status switch
    {
        OcspRespStatus.MalformedRequest => "malformedRequest",
        OcspRespStatus.InternalError => "internalError",
        OcspRespStatus.TryLater => "tryLater",
        OcspRespStatus.SigRequired => "sigRequired",
        OcspRespStatus.Unauthorized => "unauthorized",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    // Serial and issuer name hash come from the leaf alone; the key hash needs the issuer and is checked when it is known.
    private static bool Matches(CertificateID id, X509Certificate leaf, X509Certificate? issuer)
    {
        if (!id.SerialNumber.Equals(leaf.SerialNumber)) return false;
        if (issuer is not null) return id.MatchesIssuer(issuer);
        var digest = Org.BouncyCastle.Security.DigestUtilities.GetDigest(id.HashAlgOid);
        var name = leaf.IssuerDN.GetEncoded();
        digest.BlockUpdate(name, 0, name.Length);
        var hash = new byte[digest.GetDigestSize()];
        digest.DoFinal(hash, 0);
        return Org.BouncyCastle.Utilities.Arrays.AreEqual(hash, id.GetIssuerNameHash());
    }

    // Signed by the issuer itself, or by a responder certificate in the response that the issuer signed (RFC 6960 delegation).
    private static bool SignedBy(BasicOcspResp basic, X509Certificate issuer)
    {
        try
        {
            if (basic.Verify(issuer.GetPublicKey())) return true;
            foreach (var responder in basic.GetCerts() ?? [])
            {
                if (!Verifies(responder, issuer)) continue;
                if (responder.GetExtendedKeyUsage()?.Contains(KeyPurposeOcspSigning) != true) continue;
                if (basic.Verify(responder.GetPublicKey())) return true;
            }
        }
        catch (Exception ex) when (ParseFailure.IsExpected(ex))
        {
        }
        return false;
    }

    private static readonly DerObjectIdentifier KeyPurposeOcspSigning = new("1.3.6.1.5.5.7.3.9");

    private static bool Verifies(X509Certificate child, X509Certificate issuer)
    {
        try
        {
            child.Verify(issuer.GetPublicKey());
            return true;
        }
        catch (Exception ex) when (ParseFailure.IsExpected(ex))
        {
            return false;
        }
    }

    /// <summary>The certificates of a PEM (or DER) file, in order; keys and other blocks are skipped.</summary>
    private static List<X509Certificate> Certificates(byte[]? bytes)
    {
        var list = new List<X509Certificate>();
        if (bytes is null || bytes.Length == 0) return list;
        try
        {
            if (!PemReader.LooksLikePem(bytes)) return [X509Facts.ParseDer(bytes)];
            foreach (var block in PemReader.Read(Encoding.UTF8.GetString(bytes), l => l is "CERTIFICATE" or "X509 CERTIFICATE"))
                if (block.Data is not null && block.Label is "CERTIFICATE" or "X509 CERTIFICATE") list.Add(X509Facts.ParseDer(block.Data));
        }
        catch (Exception ex) when (ParseFailure.IsExpected(ex))
        {
        }
        return list;
    }
}

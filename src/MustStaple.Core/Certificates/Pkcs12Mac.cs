using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;

namespace MustStaple.Certificates;

/// <summary>
/// Checks a PKCS#12 MAC (RFC 7292 appendix B key, HMAC with the MAC's digest), with the platform's hashes. Used only to
/// tell a damaged file from a wrong password once no candidate decrypts it; its iteration count is within
/// <see cref="Pkcs12Budget"/> by then.
/// </summary>
internal static class Pkcs12Mac
{
    public static bool Verifies(Pfx pfx, MacData mac, string password)
    {
        try
        {
            HashAlgorithmName? hash = mac.Mac.DigestAlgorithm.Algorithm.Id switch
            {
                "1.3.14.3.2.26" => HashAlgorithmName.SHA1,
                "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256,
                "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
                "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
                _ => null,
            };
            if (hash is not { } h) return false; // a digest the platform lacks: nothing can be said
            var data = Asn1OctetString.GetInstance(pfx.AuthSafe.Content).GetOctets();
            var expected = mac.Mac.Digest.GetOctets();
            // The empty password is no bytes to OpenSSL and .NET, a lone two-byte terminator to some writers.
            byte[][] variants = password.Length == 0 ? [[], new byte[2]] : [Pkcs12Password(password)];
            foreach (var p in variants)
            {
                var key = Pkcs12Kdf.Derive(3, p, mac.GetSalt(), mac.IterationCount.IntValueExact, expected.Length, h);
                using var hmac = IncrementalHash.CreateHMAC(h, key);
                hmac.AppendData(data);
                if (Org.BouncyCastle.Utilities.Arrays.FixedTimeEquals(hmac.GetHashAndReset(), expected)) return true;
            }
            return false;
        }
        catch (Exception ex) when (ParseFailure.IsExpected(ex))
        {
            return false;
        }
    }

    // RFC 7292 B.1: BMPString with a two-byte terminator.
    private static byte[] Pkcs12Password(string password)
    {
        var bytes = new byte[(password.Length + 1) * 2];
        System.Text.Encoding.BigEndianUnicode.GetBytes(password, 0, password.Length, bytes, 0);
        return bytes;
    }
}

using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace MustStaple.Certificates;

/// <summary>
/// Checks a PKCS#12 MAC (RFC 7292 appendix B key, HMAC with the MAC's digest). Used only to tell a damaged file from a
/// wrong password once no candidate decrypts it; its iteration count is within <see cref="Pkcs12Budget"/> by then.
/// </summary>
internal static class Pkcs12Mac
{
    public static bool Verifies(Pfx pfx, MacData mac, string password)
    {
        try
        {
            var data = Asn1OctetString.GetInstance(pfx.AuthSafe.Content).GetOctets();
            var algorithm = mac.Mac.DigestAlgorithm.Algorithm;
            var expected = mac.Mac.Digest.GetOctets();
            // The empty password is no bytes to OpenSSL and .NET, a lone two-byte terminator to some writers.
            byte[][] variants = password.Length == 0 ? [[], new byte[2]] : [PbeParametersGenerator.Pkcs12PasswordToBytes(password.ToCharArray())];
            foreach (var p in variants)
            {
                var digest = DigestUtilities.GetDigest(algorithm);
                var generator = new Pkcs12ParametersGenerator(digest);
                generator.Init(p, mac.GetSalt(), mac.IterationCount.IntValueExact);
                var key = (KeyParameter)generator.GenerateDerivedMacParameters(digest.GetDigestSize() * 8);
                var hmac = new HMac(DigestUtilities.GetDigest(algorithm));
                hmac.Init(key);
                hmac.BlockUpdate(data, 0, data.Length);
                var actual = new byte[hmac.GetMacSize()];
                hmac.DoFinal(actual, 0);
                if (Org.BouncyCastle.Utilities.Arrays.FixedTimeEquals(actual, expected)) return true;
            }
            return false;
        }
        catch (Exception ex) when (ParseFailure.IsExpected(ex))
        {
            return false; // an unknown digest: nothing can be said
        }
    }
}

using System.Security.Cryptography;

namespace MustStaple.Certificates;

/// <summary>
/// The PKCS#12 key derivation (RFC 7292 appendix B.2): with SHA-1 as the PKCS#12 PBE schemes use it, with the MAC's
/// digest for the MAC key.
/// </summary>
internal static class Pkcs12Kdf
{
    public static byte[] Derive(byte id, byte[] password, byte[] salt, int iterations, int length) =>
        Derive(id, password, salt, iterations, length, HashAlgorithmName.SHA1);

    public static byte[] Derive(byte id, byte[] password, byte[] salt, int iterations, int length, HashAlgorithmName hash)
    {
        // u: the digest's output, v: its block (RFC 7292 B.1)
        var (u, v) = hash.Name switch { "SHA256" => (32, 64), "SHA384" => (48, 128), "SHA512" => (64, 128), _ => (20, 64) };
        var s = Repeat(salt, v);
        var p = Repeat(password, v);
        var i = new byte[s.Length + p.Length];
        Buffer.BlockCopy(s, 0, i, 0, s.Length);
        Buffer.BlockCopy(p, 0, i, s.Length, p.Length);
        var d = new byte[v];
        for (var n = 0; n < v; n++) d[n] = id;

        var result = new byte[length];
        var b = new byte[v];
        using var digest = IncrementalHash.CreateHash(hash);
        for (var offset = 0; offset < length; offset += u)
        {
            digest.AppendData(d);
            digest.AppendData(i);
            var a = digest.GetHashAndReset();
            for (var r = 1; r < iterations; r++)
            {
                digest.AppendData(a);
                a = digest.GetHashAndReset();
            }
            Buffer.BlockCopy(a, 0, result, offset, Math.Min(u, length - offset));
            if (offset + u >= length) break;
            for (var n = 0; n < v; n++) b[n] = a[n % u];
            for (var block = 0; block < i.Length; block += v)
            {
                var carry = 1;
                for (var n = v - 1; n >= 0; n--)
                {
                    carry += i[block + n] + b[n];
                    i[block + n] = (byte)carry;
                    carry >>= 8;
                }
            }
        }
        return result;
    }

    private static byte[] Repeat(byte[] value, int v)
    {
        if (value.Length == 0) return [];
        var result = new byte[v * ((value.Length + v - 1) / v)];
        for (var n = 0; n < result.Length; n++) result[n] = value[n % value.Length];
        return result;
    }
}

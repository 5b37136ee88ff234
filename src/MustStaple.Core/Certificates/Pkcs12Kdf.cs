using System.Security.Cryptography;

namespace MustStaple.Certificates;

/// <summary>The PKCS#12 key derivation (RFC 7292 appendix B.2) with SHA-1, as the PKCS#12 PBE schemes use it.</summary>
internal static class Pkcs12Kdf
{
    private const int U = 20; // SHA-1 output
    private const int V = 64; // SHA-1 block

    public static byte[] Derive(byte id, byte[] password, byte[] salt, int iterations, int length)
    {
        var s = Repeat(salt);
        var p = Repeat(password);
        var i = new byte[s.Length + p.Length];
        Buffer.BlockCopy(s, 0, i, 0, s.Length);
        Buffer.BlockCopy(p, 0, i, s.Length, p.Length);
        var d = new byte[V];
        for (var n = 0; n < V; n++) d[n] = id;

        var result = new byte[length];
        var b = new byte[V];
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        for (var offset = 0; offset < length; offset += U)
        {
            sha1.AppendData(d);
            sha1.AppendData(i);
            var a = sha1.GetHashAndReset();
            for (var r = 1; r < iterations; r++)
            {
                sha1.AppendData(a);
                a = sha1.GetHashAndReset();
            }
            Buffer.BlockCopy(a, 0, result, offset, Math.Min(U, length - offset));
            if (offset + U >= length) break;
            for (var n = 0; n < V; n++) b[n] = a[n % U];
            for (var block = 0; block < i.Length; block += V)
            {
                var carry = 1;
                for (var n = V - 1; n >= 0; n--)
                {
                    carry += i[block + n] + b[n];
                    i[block + n] = (byte)carry;
                    carry >>= 8;
                }
            }
        }
        return result;
    }

    private static byte[] Repeat(byte[] value)
    {
        if (value.Length == 0) return [];
        var result = new byte[V * ((value.Length + V - 1) / V)];
        for (var n = 0; n < result.Length; n++) result[n] = value[n % value.Length];
        return result;
    }
}

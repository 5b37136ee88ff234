using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Paddings;
using Org.BouncyCastle.Crypto.Parameters;

namespace MustStaple.Certificates;

/// <summary>
/// Reads only the certificate bags of a PKCS#12 file, with the platform's KDFs and ciphers. The lint never needs the
/// private key, so the shrouded key bags are never decrypted (their <c>localKeyId</c> says which certificate holds
/// the key) and the MAC is not checked: a wrong password shows as a failed decryption of the certificate bag. One
/// key derivation per password tried instead of BouncyCastle's four or five (docs/performance.md).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms",
    Justification = "Decrypts files other tools wrote with legacy PKCS#12 schemes; nothing is encrypted with them.")]
internal static class Pkcs12CertificateBags
{
    /// <summary>.NET refuses PKCS#12 files needing more than this many KDF iterations (its default limit), so Kestrel cannot load them.</summary>
    public const int MaxIterations = 600_000;

    private const int MaxNesting = 4;

    internal enum Outcome
    {
        /// <summary>The certificates were read.</summary>
        Opened,

        /// <summary>No candidate password decrypts the certificate bags.</summary>
        WrongPassword,

        /// <summary>A scheme or layout this reader does not handle: use the full reader.</summary>
        Unsupported,

        /// <summary>The file asks for more KDF iterations than .NET accepts.</summary>
        TooManyIterations,
    }

    internal sealed record Bag(byte[] Der, bool HasPrivateKey);

    /// <summary>Reads the certificate bags, trying each password in turn. Throws a parse exception on malformed DER.</summary>
    public static Outcome Read(byte[] bytes, IEnumerable<string> passwords, out IReadOnlyList<Bag> bags)
    {
        bags = [];
        var pfx = Pfx.GetInstance(Asn1Object.FromByteArray(bytes));
        if (!PkcsObjectIdentifiers.Data.Equals(pfx.AuthSafe.ContentType)) return Outcome.Unsupported;
        var authSafe = AuthenticatedSafe.GetInstance(Asn1Object.FromByteArray(Asn1OctetString.GetInstance(pfx.AuthSafe.Content).GetOctets()));

        var plain = new List<Asn1Sequence>();
        var encrypted = new List<EncryptedData>();
        foreach (var info in authSafe.GetContentInfo())
        {
            if (PkcsObjectIdentifiers.Data.Equals(info.ContentType))
                plain.Add(Asn1Sequence.GetInstance(Asn1Object.FromByteArray(Asn1OctetString.GetInstance(info.Content).GetOctets())));
            else if (PkcsObjectIdentifiers.EncryptedData.Equals(info.ContentType))
                encrypted.Add(EncryptedData.GetInstance(info.Content));
            else
                return Outcome.Unsupported; // enveloped (public-key) privacy mode
        }

        // The MAC is checked only by the fallback reader, but its cost must be bounded before anything falls back.
        if (pfx.MacData is { } mac && (mac.IterationCount.BitLength > 31 || mac.IterationCount.IntValue > MaxIterations))
            return Outcome.TooManyIterations;
        foreach (var e in encrypted)
        {
            var iterations = Iterations(e.EncryptionAlgorithm);
            if (iterations is null) return Outcome.Unsupported;
            if (iterations > MaxIterations) return Outcome.TooManyIterations;
        }

        foreach (var password in encrypted.Count == 0 ? [""] : passwords)
        {
            var contents = new List<Asn1Sequence>(plain);
            var opened = true;
            foreach (var e in encrypted)
            {
                byte[]? clear;
                try
                {
                    clear = Decrypt(e.EncryptionAlgorithm, e.Content.GetOctets(), password);
                    if (clear is null) return Outcome.Unsupported;
                    contents.Add(Asn1Sequence.GetInstance(Asn1Object.FromByteArray(clear)));
                }
                catch (Exception ex) when (ParseFailure.IsExpected(ex))
                {
                    // Bad padding or garbage DER after decryption: the password is wrong.
                    opened = false;
                    break;
                }
            }
            if (!opened) continue;

            var certs = new List<(byte[] Der, byte[]? KeyId)>();
            var keyIds = new List<byte[]>();
            var keysWithoutId = 0;
            foreach (var safeContents in contents)
                Collect(safeContents, certs, keyIds, ref keysWithoutId, 0);
            // A key that names no certificate: leave the pairing to the full reader's public-key matching.
            if (keysWithoutId > 0) return Outcome.Unsupported;
            bags = certs.Select(c => new Bag(c.Der, c.KeyId is { } id && keyIds.Any(k => k.AsSpan().SequenceEqual(id)))).ToList();
            return Outcome.Opened;
        }
        return Outcome.WrongPassword;
    }

    private static void Collect(Asn1Sequence safeContents, List<(byte[] Der, byte[]? KeyId)> certs, List<byte[]> keyIds, ref int keysWithoutId, int depth)
    {
        foreach (var element in safeContents)
        {
            var bag = SafeBag.GetInstance(element);
            var keyId = LocalKeyId(bag.BagAttributes);
            if (PkcsObjectIdentifiers.CertBag.Equals(bag.BagID))
            {
                var certBag = CertBag.GetInstance(bag.BagValue);
                if (PkcsObjectIdentifiers.X509Certificate.Equals(certBag.CertID))
                    certs.Add((Asn1OctetString.GetInstance(certBag.CertValue).GetOctets(), keyId));
            }
            else if (PkcsObjectIdentifiers.KeyBag.Equals(bag.BagID) || PkcsObjectIdentifiers.Pkcs8ShroudedKeyBag.Equals(bag.BagID))
            {
                if (keyId is null) keysWithoutId++;
                else keyIds.Add(keyId);
            }
            else if (PkcsObjectIdentifiers.SafeContentsBag.Equals(bag.BagID) && depth < MaxNesting)
            {
                Collect(Asn1Sequence.GetInstance(bag.BagValue), certs, keyIds, ref keysWithoutId, depth + 1);
            }
        }
    }

    private static byte[]? LocalKeyId(Asn1Set? attributes)
    {
        if (attributes is null) return null;
        foreach (var element in attributes)
        {
            var attribute = Asn1Sequence.GetInstance(element);
            if (attribute.Count == 2 && PkcsObjectIdentifiers.Pkcs9AtLocalKeyID.Equals(attribute[0])
                && Asn1Set.GetInstance(attribute[1]) is { Count: > 0 } values)
                return Asn1OctetString.GetInstance(values[0]).GetOctets();
        }
        return null;
    }

    private static long? Iterations(Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier algorithm)
    {
        var oid = algorithm.Algorithm.Id;
        if (oid == PkcsObjectIdentifiers.IdPbeS2.Id)
        {
            var kdf = PbeS2Parameters.GetInstance(algorithm.Parameters).KeyDerivationFunc;
            if (!PkcsObjectIdentifiers.IdPbkdf2.Equals(kdf.Algorithm)) return null;
            var iterations = Pbkdf2Params.GetInstance(kdf.Parameters).IterationCount;
            return iterations.BitLength > 31 ? long.MaxValue : iterations.IntValue;
        }
        if (Pkcs12Cipher(oid) is null) return null;
        var count = Pkcs12PbeParams.GetInstance(algorithm.Parameters).Iterations;
        return count.BitLength > 31 ? long.MaxValue : count.IntValue;
    }

    // Returns null for a scheme this reader does not implement; throws when the password is wrong.
    private static byte[]? Decrypt(Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier algorithm, byte[] data, string password)
    {
        var oid = algorithm.Algorithm.Id;
        if (oid == PkcsObjectIdentifiers.IdPbeS2.Id)
        {
            var pbes2 = PbeS2Parameters.GetInstance(algorithm.Parameters);
            var pbkdf2 = Pbkdf2Params.GetInstance(pbes2.KeyDerivationFunc.Parameters);
            if (Prf(pbkdf2) is not { } prf) return null;
            var scheme = pbes2.EncryptionScheme;
            (SymmetricAlgorithm Cipher, int KeyLength)? target = scheme.Algorithm.Id switch
            {
                "2.16.840.1.101.3.4.1.2" => (Aes.Create(), 16),
                "2.16.840.1.101.3.4.1.22" => (Aes.Create(), 24),
                "2.16.840.1.101.3.4.1.42" => (Aes.Create(), 32),
                "1.2.840.113549.3.7" => (TripleDES.Create(), 24),
                _ => null,
            };
            if (target is not var (cipher, keyLength)) return null;
            using (cipher)
            {
                var iv = Asn1OctetString.GetInstance(scheme.Parameters).GetOctets();
                var key = Pbkdf2(Encoding.UTF8.GetBytes(password), pbkdf2.GetSalt(), pbkdf2.IterationCount.IntValue, prf, keyLength);
                return Cbc(cipher, key, iv, data);
            }
        }

        if (Pkcs12Cipher(oid) is not var (kind, keyBytes)) return null;
        var parameters = Pkcs12PbeParams.GetInstance(algorithm.Parameters);
        var salt = parameters.GetIV();
        var rounds = parameters.Iterations.IntValue;
        // The empty password is the empty string to OpenSSL and .NET, a lone two-byte terminator to some writers.
        byte[][] variants = password.Length == 0 ? [[], new byte[2]] : [Pkcs12Password(password)];
        for (var n = 0; ; n++)
        {
            try
            {
                var k = Pkcs12Kdf.Derive(1, variants[n], salt, rounds, keyBytes);
                var v = Pkcs12Kdf.Derive(2, variants[n], salt, rounds, 8);
                if (kind == "3des")
                {
                    using var des = TripleDES.Create();
                    return Cbc(des, k, v, data);
                }
                var rc2 = new PaddedBufferedBlockCipher(new CbcBlockCipher(new RC2Engine()), new Pkcs7Padding());
                rc2.Init(false, new ParametersWithIV(new RC2Parameters(k, keyBytes * 8), v));
                return rc2.DoFinal(data);
            }
            catch (Exception ex) when (n + 1 < variants.Length && ParseFailure.IsExpected(ex))
            {
                // try the other encoding of the empty password
            }
        }
    }

    private static (string Kind, int KeyBytes)? Pkcs12Cipher(string oid) => oid switch
    {
        "1.2.840.113549.1.12.1.3" => ("3des", 24),
        "1.2.840.113549.1.12.1.4" => ("3des", 16),
        "1.2.840.113549.1.12.1.5" => ("rc2", 16),
        "1.2.840.113549.1.12.1.6" => ("rc2", 5),
        _ => null,
    };

    private static HashAlgorithmName? Prf(Pbkdf2Params parameters) =>
        parameters.IsDefaultPrf ? HashAlgorithmName.SHA1 : parameters.Prf.Algorithm.Id switch
        {
            "1.2.840.113549.2.7" => HashAlgorithmName.SHA1,
            "1.2.840.113549.2.9" => HashAlgorithmName.SHA256,
            "1.2.840.113549.2.10" => HashAlgorithmName.SHA384,
            "1.2.840.113549.2.11" => HashAlgorithmName.SHA512,
            _ => null,
        };

    // RFC 7292 B.1: BMPString with a two-byte terminator.
    private static byte[] Pkcs12Password(string password)
    {
        var bytes = new byte[(password.Length + 1) * 2];
        Encoding.BigEndianUnicode.GetBytes(password, 0, password.Length, bytes, 0);
        return bytes;
    }

    private static byte[] Pbkdf2(byte[] password, byte[] salt, int iterations, HashAlgorithmName prf, int length)
    {
#if NET
        return Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, prf, length);
#else
        var generator = new Org.BouncyCastle.Crypto.Generators.Pkcs5S2ParametersGenerator(prf.Name switch
        {
            "SHA256" => new Org.BouncyCastle.Crypto.Digests.Sha256Digest(),
            "SHA384" => new Org.BouncyCastle.Crypto.Digests.Sha384Digest(),
            "SHA512" => new Org.BouncyCastle.Crypto.Digests.Sha512Digest(),
            _ => new Org.BouncyCastle.Crypto.Digests.Sha1Digest(),
        });
        generator.Init(password, salt, iterations);
        return ((KeyParameter)generator.GenerateDerivedMacParameters(length * 8)).GetKey();
#endif
    }

    private static byte[] Cbc(SymmetricAlgorithm cipher, byte[] key, byte[] iv, byte[] data)
    {
        cipher.Mode = CipherMode.CBC;
        cipher.Padding = PaddingMode.PKCS7;
        using var decryptor = cipher.CreateDecryptor(key, iv);
        return decryptor.TransformFinalBlock(data, 0, data.Length);
    }
}

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

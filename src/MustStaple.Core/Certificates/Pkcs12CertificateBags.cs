using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
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
    private const int MaxNesting = 4;

    internal enum Outcome
    {
        /// <summary>The certificates were read.</summary>
        Opened,

        /// <summary>No candidate password decrypts the certificate bags.</summary>
        WrongPassword,

        /// <summary>A scheme or layout this reader does not handle: use the full reader.</summary>
        Unsupported,

        /// <summary>The file asks for more work than .NET's loader allows (see <see cref="Pkcs12Budget"/>).</summary>
        OverBudget,

        /// <summary>The structure around the bags is not valid PKCS#12.</summary>
        Broken,

        /// <summary>The MAC verifies with a candidate password, yet the certificate bags do not decrypt with it.</summary>
        Corrupted,
    }

    internal sealed record Bag(byte[] Der, bool HasPrivateKey);

    /// <summary>
    /// Reads the certificate bags, trying each password in turn, within <see cref="Pkcs12Budget"/>: every limit is checked
    /// before the first key derivation (the bags inside encrypted contents before anything falls back to the full reader).
    /// Throws a parse exception on malformed DER inside the bags.
    /// </summary>
    public static Outcome Read(byte[] bytes, IEnumerable<string> passwords, out IReadOnlyList<Bag> bags, out string? overBudget,
        Action<long>? kdf = null, Action<long>? costPerPassword = null)
    {
        kdf ??= _ => { };
        bags = [];
        overBudget = null;
        var budget = new Pkcs12Budget();
        Pfx pfx;
        var plain = new List<Asn1Sequence>();
        var encrypted = new List<Scheme>();
        var plainCerts = new List<(byte[] Der, byte[]? KeyId)>();
        var plainKeyIds = new List<byte[]>();
        var plainKeysWithoutId = 0;
        try
        {
            pfx = Pfx.GetInstance(Asn1Object.FromByteArray(bytes));
            if (pfx.MacData is { } mac) budget.Mac(Count(mac.IterationCount));
            if (!PkcsObjectIdentifiers.Data.Equals(pfx.AuthSafe.ContentType)) return Outcome.Unsupported;
            var authSafe = AuthenticatedSafe.GetInstance(Asn1Object.FromByteArray(Asn1OctetString.GetInstance(pfx.AuthSafe.Content).GetOctets()));
            foreach (var info in authSafe.GetContentInfo())
            {
                if (PkcsObjectIdentifiers.Data.Equals(info.ContentType))
                    plain.Add(Asn1Sequence.GetInstance(Asn1Object.FromByteArray(Asn1OctetString.GetInstance(info.Content).GetOctets())));
                else if (PkcsObjectIdentifiers.EncryptedData.Equals(info.ContentType))
                    encrypted.Add(ParseScheme(EncryptedData.GetInstance(info.Content)));
                else
                    return Outcome.Unsupported; // enveloped (public-key) privacy mode
            }
            foreach (var e in encrypted) budget.Derivation(e.Iterations);
            foreach (var safeContents in plain) Collect(safeContents, plainCerts, plainKeyIds, ref plainKeysWithoutId, budget, 0);
        }
        catch (Exception ex) when (ParseFailure.IsExpected(ex))
        {
            return Outcome.Broken;
        }
        // Bounded before anything falls back, even for a PBES2 cipher or PRF only the full reader knows.
        if ((overBudget = budget.Exceeded) is not null) return Outcome.OverBudget;
        var derivations = encrypted.Sum(e => (long)e.Iterations);
        var macIterations = pfx.MacData is { } m ? Count(m.IterationCount) : 0;
        costPerPassword?.Invoke(derivations + macIterations);
        if (encrypted.Any(e => e.KeyBytes == 0)) return Outcome.Unsupported;

        foreach (var password in encrypted.Count == 0 ? [""] : passwords)
        {
            kdf(derivations); // charged to the run before the derivations run
            var contents = new List<Asn1Sequence>();
            var opened = true;
            foreach (var e in encrypted)
            {
                // Bad padding or garbage DER after decryption, with every encoding of the password: it is wrong.
                if (DecryptSafeContents(e, password) is not { } safeContents)
                {
                    opened = false;
                    break;
                }
                contents.Add(safeContents);
            }
            if (!opened) continue;

            var certs = new List<(byte[] Der, byte[]? KeyId)>(plainCerts);
            var keyIds = new List<byte[]>(plainKeyIds);
            var keysWithoutId = plainKeysWithoutId;
            foreach (var safeContents in contents)
                Collect(safeContents, certs, keyIds, ref keysWithoutId, budget, 0);
            if ((overBudget = budget.Exceeded) is not null) return Outcome.OverBudget;
            // A key that names no certificate: leave the pairing to the full reader's public-key matching.
            if (keysWithoutId > 0) return Outcome.Unsupported;
            bags = certs.Select(c => new Bag(c.Der, c.KeyId is { } id && keyIds.Any(k => k.AsSpan().SequenceEqual(id)))).ToList();
            return Outcome.Opened;
        }
        // Damaged or merely locked? Asked only of passwords someone gave: the empty password every locked file is tried with
        // would cost two more key derivations per unreadable PFX (it doubled the time of a repository of locked PFX files).
        return pfx.MacData is { } check && passwords.Any(p => p.Length > 0 && Charged(kdf, macIterations) && Pkcs12Mac.Verifies(pfx, check, p)) ? Outcome.Corrupted : Outcome.WrongPassword;
    }

    private static bool Charged(Action<long> kdf, long iterations)
    {
        kdf(iterations);
        return true;
    }

    private static void Collect(Asn1Sequence safeContents, List<(byte[] Der, byte[]? KeyId)> certs, List<byte[]> keyIds, ref int keysWithoutId,
        Pkcs12Budget budget, int depth)
    {
        foreach (var element in safeContents)
        {
            var bag = SafeBag.GetInstance(element);
            if (PkcsObjectIdentifiers.CertBag.Equals(bag.BagID)) budget.Certificate();
            else if (PkcsObjectIdentifiers.KeyBag.Equals(bag.BagID)) budget.Key();
            else if (PkcsObjectIdentifiers.Pkcs8ShroudedKeyBag.Equals(bag.BagID))
            {
                budget.Key();
                budget.Derivation(Iterations(EncryptedPrivateKeyInfo.GetInstance(bag.BagValue).EncryptionAlgorithm));
            }
            if (budget.Exceeded is not null) return;
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
                Collect(Asn1Sequence.GetInstance(bag.BagValue), certs, keyIds, ref keysWithoutId, budget, depth + 1);
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

    // One encrypted bag's scheme, read once however many passwords are tried. Cipher is "aes" or "3des" under PBES2,
    // "3des" or "rc2" under the PKCS#12 PBE schemes (whose salt and iterations feed the PKCS#12 KDF; Iv is derived then).
    // KeyBytes 0: a PBES2 cipher or PRF this reader does not implement (its iteration count is still known).
    private sealed record Scheme(bool Pbes2, string Cipher, int KeyBytes, long Iterations, byte[] Salt, byte[]? Iv, HashAlgorithmName Prf, byte[] Data);

    private static Scheme ParseScheme(EncryptedData encrypted)
    {
        var algorithm = encrypted.EncryptionAlgorithm;
        var data = encrypted.Content.GetOctets();
        if (PkcsObjectIdentifiers.IdPbeS2.Equals(algorithm.Algorithm))
        {
            var pbes2 = PbeS2Parameters.GetInstance(algorithm.Parameters);
            if (!PkcsObjectIdentifiers.IdPbkdf2.Equals(pbes2.KeyDerivationFunc.Algorithm)) return Unknown(algorithm, data);
            var pbkdf2 = Pbkdf2Params.GetInstance(pbes2.KeyDerivationFunc.Parameters);
            var (cipher, keyBytes) = pbes2.EncryptionScheme.Algorithm.Id switch
            {
                "2.16.840.1.101.3.4.1.2" => ("aes", 16),
                "2.16.840.1.101.3.4.1.22" => ("aes", 24),
                "2.16.840.1.101.3.4.1.42" => ("aes", 32),
                "1.2.840.113549.3.7" => ("3des", 24),
                _ => ("", 0),
            };
            var iterations = Count(pbkdf2.IterationCount);
            if (keyBytes == 0 || Prf(pbkdf2) is not { } prf)
                return new Scheme(true, "", 0, iterations, [], null, default, data);
            var iv = Asn1OctetString.GetInstance(pbes2.EncryptionScheme.Parameters).GetOctets();
            return new Scheme(true, cipher, keyBytes, iterations, pbkdf2.GetSalt(), iv, prf, data);
        }
        if (Pkcs12Cipher(algorithm.Algorithm.Id) is not var (kind, bytes)) return Unknown(algorithm, data);
        var parameters = Pkcs12PbeParams.GetInstance(algorithm.Parameters);
        return new Scheme(false, kind, bytes, Count(parameters.Iterations), parameters.GetIV(), null, HashAlgorithmName.SHA1, data);
    }

    // A key derivation other than PBKDF2, a PBE scheme this reader does not implement: only its cost is known.
    private static Scheme Unknown(AlgorithmIdentifier algorithm, byte[] data) => new(false, "", 0, Iterations(algorithm), [], null, default, data);

    // The iteration count of any password-based scheme: PBES2/PBKDF2, the PKCS#12 PBE schemes, and PBES1 (whose
    // parameters are { salt, iterationCount } too). 0 when the scheme names no count: the loaders refuse it.
    private static long Iterations(AlgorithmIdentifier algorithm)
    {
        if (PkcsObjectIdentifiers.IdPbeS2.Equals(algorithm.Algorithm))
        {
            var pbes2 = PbeS2Parameters.GetInstance(algorithm.Parameters);
            return PkcsObjectIdentifiers.IdPbkdf2.Equals(pbes2.KeyDerivationFunc.Algorithm)
                ? Count(Pbkdf2Params.GetInstance(pbes2.KeyDerivationFunc.Parameters).IterationCount) : 0;
        }
        return algorithm.Parameters is Asn1Sequence { Count: 2 } p && p[1] is DerInteger n ? Count(n.Value) : 0;
    }

    private static long Count(Org.BouncyCastle.Math.BigInteger n) => n.BitLength > 31 ? long.MaxValue : n.IntValue;

    // The bag's SafeContents under the first encoding of the password whose decryption parses as one, or null. The
    // empty password is no bytes to OpenSSL, a lone two-byte terminator to Windows and .NET's exporters: both are tried,
    // as .NET's loader does, and valid padding alone proves nothing (a wrong key ends in valid padding once in ~256).
    private static Asn1Sequence? DecryptSafeContents(Scheme s, string password)
    {
        byte[][] variants = s.Pbes2 ? [Encoding.UTF8.GetBytes(password)] : password.Length == 0 ? [[], new byte[2]] : [Pkcs12Password(password)];
        foreach (var variant in variants)
        {
            // A wrong key shows in the padding 255 times in 256: no exception for it (every PFX is tried with the empty
            // password first, so a locked one would throw once per file); the rest fail the parse below.
            if (Decrypt(s, variant) is not { } plaintext) continue;
            try
            {
                var contents = Asn1Sequence.GetInstance(Asn1Object.FromByteArray(plaintext));
                foreach (var element in contents) SafeBag.GetInstance(element);
                return contents;
            }
            catch (Exception ex) when (ParseFailure.IsExpected(ex))
            {
                // wrong key: a plaintext that is no SafeContents
            }
        }
        return null;
    }

    // The plaintext without its PKCS#7 padding, or null when the padding shows the key is wrong (checked here, not by the
    // ciphers, which would throw).
    private static byte[]? Decrypt(Scheme s, byte[] password)
    {
        if (s.Pbes2)
        {
            using var cipher = s.Cipher == "aes" ? (SymmetricAlgorithm)Aes.Create() : TripleDES.Create();
            var key = Pbkdf2(password, s.Salt, (int)s.Iterations, s.Prf, s.KeyBytes);
            return Cbc(cipher, key, s.Iv!, s.Data);
        }
        var k = Pkcs12Kdf.Derive(1, password, s.Salt, (int)s.Iterations, s.KeyBytes);
        var v = Pkcs12Kdf.Derive(2, password, s.Salt, (int)s.Iterations, 8);
        if (s.Cipher == "3des")
        {
            using var des = TripleDES.Create();
            return Cbc(des, k, v, s.Data);
        }
        if (!WholeBlocks(s.Data, 8)) return null;
        var rc2 = new BufferedBlockCipher(new CbcBlockCipher(new RC2Engine()));
        rc2.Init(false, new ParametersWithIV(new RC2Parameters(k, s.KeyBytes * 8), v));
        return Unpad(rc2.DoFinal(s.Data), 8);
    }

    private static bool WholeBlocks(byte[] data, int blockBytes) => data.Length > 0 && data.Length % blockBytes == 0;

    // PKCS#7 (RFC 5652 6.3): the last byte n, 1 ≤ n ≤ block size, repeated n times. Compared in full, not in constant
    // time: the key is derived from a password on this machine, there is no padding oracle to guard.
    private static byte[]? Unpad(byte[] plaintext, int blockBytes)
    {
        var n = plaintext[plaintext.Length - 1];
        if (n == 0 || n > blockBytes || n > plaintext.Length) return null;
        for (var i = plaintext.Length - n; i < plaintext.Length; i++)
            if (plaintext[i] != n) return null;
        return plaintext.AsSpan(0, plaintext.Length - n).ToArray();
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
        if (prf == HashAlgorithmName.SHA256 && OpenSslPbkdf2.TryDerive(password, salt, iterations, length, out var key)) return key;
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

    private static byte[]? Cbc(SymmetricAlgorithm cipher, byte[] key, byte[] iv, byte[] data)
    {
        var blockBytes = cipher.BlockSize / 8;
        if (!WholeBlocks(data, blockBytes)) return null;
        cipher.Mode = CipherMode.CBC;
        cipher.Padding = PaddingMode.None;
        using var decryptor = cipher.CreateDecryptor(key, iv);
        return Unpad(decryptor.TransformFinalBlock(data, 0, data.Length), blockBytes);
    }
}

using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Oiw;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Paddings;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;

namespace MustStaple.Testing;

/// <summary>The certificate-bag cipher of a PKCS#12 written by <see cref="Pkcs12Exporters"/>.</summary>
public enum Pkcs12Cipher
{
    /// <summary>pbeWithSHAAnd40BitRC2-CBC: Windows XP–8 and OpenSSL 1.x's default for certificates.</summary>
    Rc2Of40,

    /// <summary>pbeWithSHAAnd3-KeyTripleDES-CBC: Windows' and .NET's <c>Export(Pfx)</c> default.</summary>
    TripleDes,

    /// <summary>PBES2 (PBKDF2-HMAC-SHA256) AES-256-CBC: Windows 10 1709+ "AES256-SHA256", OpenSSL 3.</summary>
    Aes256,
}

/// <summary>
/// PKCS#12 files laid out as Windows and .NET export them, every parameter fixed so a test can sweep one: certificate
/// bag under <see cref="Pkcs12Cipher"/>, shrouded key bag under 3DES, SHA-1 MAC; the password given as the exact bytes the
/// PKCS#12 KDF and the MAC use (the empty password is <c>00 00</c> to Windows, no bytes to OpenSSL).
/// </summary>
public static class Pkcs12Exporters
{
    /// <summary>The empty password as Windows' and .NET's exporters encode it: a BMPString holding only its terminator.</summary>
    public static readonly byte[] WindowsEmpty = [0, 0];

    /// <summary>The empty password as OpenSSL encodes it: no bytes at all.</summary>
    public static readonly byte[] OpenSslEmpty = [];

    /// <summary>
    /// A PFX of <paramref name="leaf"/> and its key; <paramref name="salt"/> is the certificate bag's. With
    /// <paramref name="ber"/> every layer, the encrypted SafeContents included, is BER with indefinite lengths as NSS writes it.
    /// </summary>
    public static byte[] Export(TestCertificate leaf, Pkcs12Cipher cipher, byte[] password, byte[] salt, int iterations = 2000, bool ber = false)
    {
        Func<byte[], byte[]> encode = ber ? der => ToIndefiniteBer(der, 100) : der => der;
        var keyId = new DerSet(new DerSequence(PkcsObjectIdentifiers.Pkcs9AtLocalKeyID, new DerSet(new DerOctetString([1, 2, 3, 4]))));
        var certBag = new SafeBag(PkcsObjectIdentifiers.CertBag,
            new CertBag(PkcsObjectIdentifiers.X509Certificate, new DerOctetString(leaf.Der)).ToAsn1Object(), keyId);
        var certContents = encode(new DerSequence(certBag).GetEncoded(Asn1Encodable.Der));
        var (certAlgorithm, certCipherText) = Encrypt(cipher, password, salt, iterations, certContents);

        var keySalt = new byte[] { 7, 7, 7, 7, 7, 7, 7, 7 };
        var keyInfo = Org.BouncyCastle.Pkcs.PrivateKeyInfoFactory.CreatePrivateKeyInfo(leaf.Key.Private).GetEncoded(Asn1Encodable.Der);
        var (keyAlgorithm, keyCipherText) = Encrypt(Pkcs12Cipher.TripleDes, password, keySalt, iterations, keyInfo);
        var keyBag = new SafeBag(PkcsObjectIdentifiers.Pkcs8ShroudedKeyBag,
            new EncryptedPrivateKeyInfo(keyAlgorithm, keyCipherText).ToAsn1Object(), keyId);

        var authSafe = encode(new AuthenticatedSafe(
        [
            new ContentInfo(PkcsObjectIdentifiers.Data, new DerOctetString(new DerSequence(keyBag).GetEncoded(Asn1Encodable.Der))),
            new ContentInfo(PkcsObjectIdentifiers.EncryptedData,
                new EncryptedData(PkcsObjectIdentifiers.Data, certAlgorithm, new DerOctetString(certCipherText)).ToAsn1Object()),
        ]).GetEncoded(Asn1Encodable.Der));

        var macSalt = new byte[] { 9, 9, 9, 9, 9, 9, 9, 9 };
        var macKey = Pkcs12Key(password, macSalt, iterations, 160);
        var hmac = new HMac(new Sha1Digest());
        hmac.Init(macKey);
        hmac.BlockUpdate(authSafe, 0, authSafe.Length);
        var digest = new byte[hmac.GetMacSize()];
        hmac.DoFinal(digest, 0);
        var mac = new MacData(new DigestInfo(new AlgorithmIdentifier(OiwObjectIdentifiers.IdSha1, DerNull.Instance), digest), macSalt, iterations);
        return encode(new Pfx(new ContentInfo(PkcsObjectIdentifiers.Data, new DerOctetString(authSafe)), mac).GetEncoded(Asn1Encodable.Der));
    }

    /// <summary>
    /// <paramref name="der"/> re-encoded as BER the way NSS's <c>pk12util</c> and Java write it: every constructed value with
    /// an indefinite length, every OCTET STRING (and EncryptedData's [0] IMPLICIT one) constructed from chunks of
    /// <paramref name="chunk"/> bytes.
    /// </summary>
    public static byte[] ToIndefiniteBer(byte[] der, int chunk = 64)
    {
        using var output = new MemoryStream();
        WriteBer(output, der, 0, der.Length, chunk);
        return output.ToArray();
    }

    private static int WriteBer(MemoryStream output, byte[] der, int offset, int end, int chunk)
    {
        while (offset < end)
        {
            var tag = der[offset];
            var (length, header) = ReadLength(der, offset + 1);
            var content = offset + 1 + header;
            if ((tag & 0x20) != 0)
            {
                output.WriteByte(tag);
                output.WriteByte(0x80);
                WriteBer(output, der, content, content + length, chunk);
                output.WriteByte(0);
                output.WriteByte(0);
            }
            else if (tag is 0x04 or 0x80 && length > chunk)
            {
                // an OCTET STRING, or the [0] IMPLICIT one that holds EncryptedData's content
                output.WriteByte((byte)(tag | 0x20));
                output.WriteByte(0x80);
                for (var at = 0; at < length; at += chunk)
                {
                    var n = Math.Min(chunk, length - at);
                    output.WriteByte(0x04);
                    WriteLength(output, n);
                    output.Write(der, content + at, n);
                }
                output.WriteByte(0);
                output.WriteByte(0);
            }
            else
            {
                output.Write(der, offset, 1 + header + length);
            }
            offset = content + length;
        }
        return offset;
    }

    private static (int Length, int HeaderBytes) ReadLength(byte[] der, int at)
    {
        if (der[at] < 0x80) return (der[at], 1);
        var count = der[at] & 0x7f;
        var length = 0;
        for (var i = 1; i <= count; i++) length = (length << 8) | der[at + i];
        return (length, 1 + count);
    }

    private static void WriteLength(MemoryStream output, int length)
    {
        if (length < 0x80) { output.WriteByte((byte)length); return; }
        var bytes = BitConverter.GetBytes(length).Reverse().SkipWhile(b => b == 0).ToArray();
        output.WriteByte((byte)(0x80 | bytes.Length));
        output.Write(bytes, 0, bytes.Length);
    }

    private static (AlgorithmIdentifier Algorithm, byte[] CipherText) Encrypt(Pkcs12Cipher cipher, byte[] password, byte[] salt, int iterations, byte[] data)
    {
        if (cipher == Pkcs12Cipher.Aes256)
        {
            // PBES2 takes the password's UTF-8 bytes: the empty password is no bytes whichever exporter wrote the file.
            var utf8 = password.All(b => b == 0) ? [] : password;
            var generator = new Pkcs5S2ParametersGenerator(new Sha256Digest());
            generator.Init(utf8, salt, iterations);
            var key = (KeyParameter)generator.GenerateDerivedMacParameters(256);
            var iv = new byte[16];
            for (var i = 0; i < iv.Length; i++) iv[i] = (byte)(salt[i % salt.Length] ^ 0x5a);
            var aes = new PaddedBufferedBlockCipher(new CbcBlockCipher(new AesEngine()), new Pkcs7Padding());
            aes.Init(true, new ParametersWithIV(key, iv));
            var pbes2 = new PbeS2Parameters(
                new KeyDerivationFunc(PkcsObjectIdentifiers.IdPbkdf2,
                    new Pbkdf2Params(salt, iterations, new AlgorithmIdentifier(PkcsObjectIdentifiers.IdHmacWithSha256, DerNull.Instance))),
                new EncryptionScheme(NistObjectIdentifiers.IdAes256Cbc, new DerOctetString(iv)));
            return (new AlgorithmIdentifier(PkcsObjectIdentifiers.IdPbeS2, pbes2), aes.DoFinal(data));
        }
        var (oid, engine, algorithm, keyBits) = cipher == Pkcs12Cipher.Rc2Of40
            ? (PkcsObjectIdentifiers.PbewithShaAnd40BitRC2Cbc, (IBlockCipher)new RC2Engine(), "RC2", 40)
            : (PkcsObjectIdentifiers.PbeWithShaAnd3KeyTripleDesCbc, new DesEdeEngine(), "DESede", 192);
        var kdf = new Pkcs12ParametersGenerator(new Sha1Digest());
        kdf.Init(password, salt, iterations);
        var padded = new PaddedBufferedBlockCipher(new CbcBlockCipher(engine), new Pkcs7Padding());
        padded.Init(true, kdf.GenerateDerivedParameters(algorithm, keyBits, 64));
        return (new AlgorithmIdentifier(oid, new Pkcs12PbeParams(salt, iterations)), padded.DoFinal(data));
    }

    // RFC 7292 appendix B with SHA-1 over the exact password bytes: the MAC key.
    private static KeyParameter Pkcs12Key(byte[] password, byte[] salt, int iterations, int bits)
    {
        var generator = new Pkcs12ParametersGenerator(new Sha1Digest());
        generator.Init(password, salt, iterations);
        return (KeyParameter)generator.GenerateDerivedMacParameters(bits);
    }
}

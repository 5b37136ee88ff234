using MustStaple.Certificates;
using MustStaple.Testing;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;

namespace MustStaple.Core.Tests.Certificates;

[TestClass]
public sealed class Pkcs12ReaderTests
{
    private static readonly TestCertificate Root = new CertificateBuilder("P12 Root").AsCa().Build();
    private static readonly TestCertificate Issuing = new CertificateBuilder("P12 Issuing").AsCa().IssuedBy(Root).Build();
    private static readonly TestCertificate Leaf = new CertificateBuilder("p12.example").MustStaple().IssuedBy(Issuing).Build();

    public static IEnumerable<object[]> Writers =>
    [
        ["openssl-3 / .NET 9+ (PBES2 AES-256, SHA-256)", (Func<string, byte[]>)(pw => Leaf.ToModernPfx(pw, Issuing, Root))],
        ["BouncyCastle default (RC2-40 certificates, 3DES key)", (Func<string, byte[]>)(pw => Leaf.ToPfx(pw, Issuing, Root))],
    ];

    [TestMethod]
    [DynamicData(nameof(Writers))]
    public void RightPassword_ReadsEveryCertificate_KeyHolderFirst(string writer, Func<string, byte[]> write)
    {
        // arrange
        var bytes = write("s3cr3t-Pa55");

        // act
        var file = CertificateLoader.Parse("/repo/site.pfx", bytes, ["wrong-one", "s3cr3t-Pa55"]);

        // assert
        Assert.IsFalse(file.IsLocked, writer);
        Assert.IsEmpty(file.Problems, writer);
        CollectionAssert.AreEqual(
            new[] { Sha256(Leaf), Sha256(Issuing), Sha256(Root) }.OrderBy(s => s, StringComparer.Ordinal).ToArray(),
            file.Certificates.Select(c => c.Sha256).OrderBy(s => s, StringComparer.Ordinal).ToArray(), writer);
        Assert.AreEqual(Sha256(Leaf), file.Certificates[0].Sha256, writer);
        Assert.IsTrue(file.Certificates[0].HasPrivateKey, writer);
        Assert.IsFalse(file.Certificates.Skip(1).Any(c => c.HasPrivateKey), writer);
        Assert.AreEqual(Sha256(Leaf), file.Leaf?.Sha256, writer);
        Assert.IsTrue(file.Leaf!.IsMustStaple, writer);
    }

    [TestMethod]
    [DynamicData(nameof(Writers))]
    public void WrongPasswords_LockedWithMst0002(string writer, Func<string, byte[]> write)
    {
        var file = CertificateLoader.Parse("/repo/site.pfx", write("s3cr3t-Pa55"), ["nope", "s3cr3t-pa55"]);

        Assert.IsTrue(file.IsLocked, writer);
        Assert.IsEmpty(file.Certificates, writer);
        Assert.AreEqual("MST0002", file.Problems.Single().RuleId, writer);
        Assert.DoesNotContain("s3cr3t", file.Problems.Single().Message, writer);
    }

    [TestMethod]
    [DynamicData(nameof(Writers))]
    public void EmptyPassword_OpensWithoutCandidates(string writer, Func<string, byte[]> write)
    {
        var file = CertificateLoader.Parse("/repo/site.pfx", write(""), []);

        Assert.IsFalse(file.IsLocked, writer);
        Assert.HasCount(3, file.Certificates, writer);
    }

    [TestMethod]
    [DynamicData(nameof(Writers))]
    public void BothWriters_AreReadByTheBagReader_NotTheFallback(string writer, Func<string, byte[]> write)
    {
        var outcome = Pkcs12CertificateBags.Read(write("pw"), ["other", "pw"], out var bags, out _);

        Assert.AreEqual(Pkcs12CertificateBags.Outcome.Opened, outcome, writer);
        Assert.HasCount(3, bags, writer);
        Assert.AreEqual(1, bags.Count(b => b.HasPrivateKey), writer);
        Assert.AreEqual(Pkcs12CertificateBags.Outcome.WrongPassword, Pkcs12CertificateBags.Read(write("pw"), ["other"], out _, out _), writer);
    }

    [TestMethod]
    public void KeyBagWithoutLocalKeyId_GoesToTheFullReader_WhichStillFindsTheKeyHolder()
    {
        // arrange: BouncyCastle's layout with the key bag's attributes removed, the MAC recomputed over the new content
        var pfx = Pfx.GetInstance(Asn1Object.FromByteArray(Leaf.ToPfx("pw", Issuing, Root)));
        var authSafe = AuthenticatedSafe.GetInstance(Asn1Object.FromByteArray(Asn1OctetString.GetInstance(pfx.AuthSafe.Content).GetOctets()));
        var infos = authSafe.GetContentInfo().Select(info =>
        {
            if (!PkcsObjectIdentifiers.Data.Equals(info.ContentType)) return info;
            var bags = Asn1Sequence.GetInstance(Asn1Object.FromByteArray(Asn1OctetString.GetInstance(info.Content).GetOctets()))
                .Cast<Asn1Encodable>().Select(SafeBag.GetInstance)
                .Select(b => PkcsObjectIdentifiers.Pkcs8ShroudedKeyBag.Equals(b.BagID) ? new SafeBag(b.BagID, b.BagValueEncodable, null) : b);
            return new ContentInfo(PkcsObjectIdentifiers.Data, new DerOctetString(new DerSequence(bags.ToArray()).GetEncoded()));
        }).ToArray();
        var stripped = new Pfx(new ContentInfo(PkcsObjectIdentifiers.Data, new DerOctetString(new AuthenticatedSafe(infos).GetEncoded())), pfx.MacData);
        var bytes = Org.BouncyCastle.Pkcs.Pkcs12Utilities.ConvertToDefiniteLength(stripped.GetEncoded(), "pw".ToCharArray());

        // act
        var outcome = Pkcs12CertificateBags.Read(bytes, ["pw"], out _, out _);
        var file = CertificateLoader.Parse("/repo/unmarked.pfx", bytes, ["pw"]);

        // assert
        Assert.AreEqual(Pkcs12CertificateBags.Outcome.Unsupported, outcome);
        Assert.IsEmpty(file.Problems);
        Assert.AreEqual(Sha256(Leaf), file.Certificates[0].Sha256);
        Assert.IsTrue(file.Certificates[0].HasPrivateKey);
        Assert.HasCount(3, file.Certificates);
    }

    [TestMethod]
    public void NonAsciiPassword_Opens()
    {
        var file = CertificateLoader.Parse("/repo/site.pfx", Leaf.ToModernPfx("pässwörd-密码"), ["pässwörd-密码"]);

        Assert.AreEqual(Sha256(Leaf), file.Leaf?.Sha256);
    }

    [TestMethod]
    public void BillionIterations_RefusedWithoutDerivingAKey_ReportsMst0001()
    {
        // arrange: a PBES2 certificate bag asking for int.MaxValue PBKDF2 rounds; deriving it would stall the run for minutes
        var pbkdf2 = new KeyDerivationFunc(PkcsObjectIdentifiers.IdPbkdf2,
            new Pbkdf2Params(new byte[8], int.MaxValue, new AlgorithmIdentifier(PkcsObjectIdentifiers.IdHmacWithSha256, DerNull.Instance)));
        var pbes2 = new PbeS2Parameters(pbkdf2, new EncryptionScheme(NistObjectIdentifiers.IdAes256Cbc, new DerOctetString(new byte[16])));
        var encrypted = new EncryptedData(PkcsObjectIdentifiers.Data,
            new AlgorithmIdentifier(PkcsObjectIdentifiers.IdPbeS2, pbes2), new BerOctetString(new byte[64]));
        var authSafe = new AuthenticatedSafe([new ContentInfo(PkcsObjectIdentifiers.EncryptedData, encrypted)]);
        var pfx = new Pfx(new ContentInfo(PkcsObjectIdentifiers.Data, new DerOctetString(authSafe.GetEncoded(Asn1Encodable.Der))), null);

        // act
        var file = CertificateLoader.Parse("/repo/slow.pfx", pfx.GetEncoded(Asn1Encodable.Der), ["x"]);

        // assert
        var problem = file.Problems.Single();
        Assert.AreEqual("MST0001", problem.RuleId);
        StringAssert.Contains(problem.Message, "IndividualKdfIterationLimit");
        StringAssert.Contains(problem.Message, "'slow.pfx'");
    }

    [TestMethod]
    public void BillionMacIterations_RefusedBeforeAnyFallback()
    {
        // arrange: plain (unencrypted) bags, so nothing but the MAC asks for work; the fallback reader would verify it
        var legacy = Pfx.GetInstance(Asn1Object.FromByteArray(Leaf.ToPfx("pw")));
        var mac = new MacData(legacy.MacData.Mac, legacy.MacData.GetSalt(), int.MaxValue);
        var bytes = new Pfx(legacy.AuthSafe, mac).GetEncoded(Asn1Encodable.Der);

        // act
        var file = CertificateLoader.Parse("/repo/slow-mac.pfx", bytes, []);

        // assert
        Assert.AreEqual("MST0001", file.Problems.Single().RuleId);
        StringAssert.Contains(file.Problems.Single().Message, "MacIterationLimit");
    }

    [TestMethod]
    [Timeout(20_000)]
    public void ThirtyKeyBagsAtFiveMillionIterations_RefusedBeforeTheFullReader_NamesTheLimit()
    {
        // arrange: shrouded keys naming no certificate, the layout that goes to BouncyCastle's full reader, which would
        // derive 30 × 5,000,000 rounds
        var bags = Enumerable.Range(0, 30).Select(_ => ShroudedKey(5_000_000)).ToArray();
        var bytes = PfxOf(Plain(bags));

        // act
        var file = CertificateLoader.Parse("/repo/keys.pfx", bytes, ["pw"]);

        // assert
        var problem = file.Problems.Single();
        Assert.AreEqual("MST0001", problem.RuleId);
        StringAssert.Contains(problem.Message, "5,000,000 iterations, over .NET's limit of 300,000 per derivation");
        Assert.IsFalse(file.IsLocked);
    }

    [TestMethod]
    [Timeout(20_000)]
    public void ThousandEncryptedBagsAt600000_Refused_NamesTheLimit()
    {
        var bytes = PfxOf(Enumerable.Range(0, 1000).Select(_ => EncryptedBag(600_000)).ToArray());

        var problem = CertificateLoader.Parse("/repo/bags.pfx", bytes, ["pw"]).Problems.Single();

        Assert.AreEqual("MST0001", problem.RuleId);
        StringAssert.Contains(problem.Message, "IndividualKdfIterationLimit");
    }

    [TestMethod]
    [Timeout(20_000)]
    public void FiveBagsAt250000_OverTheTotal_Refused()
    {
        // arrange: each derivation within .NET's 300,000, the sum over its 1,000,000
        var bytes = PfxOf([.. Enumerable.Range(0, 4).Select(_ => EncryptedBag(250_000)), Plain(ShroudedKey(250_000))]);

        // act
        var problem = CertificateLoader.Parse("/repo/total.pfx", bytes, ["pw"]).Problems.Single();

        // assert
        StringAssert.Contains(problem.Message, "more than 1,000,000 iterations in total");
    }

    [TestMethod]
    public void WithinTheTotal_IsNotRefused()
    {
        // four derivations at 250,000 are exactly .NET's total: refused only for the wrong password, not the budget
        var bytes = PfxOf([.. Enumerable.Range(0, 3).Select(_ => EncryptedBag(250_000)), Plain(ShroudedKey(250_000))]);

        var outcome = Pkcs12CertificateBags.Read(bytes, [], out _, out var overBudget);

        Assert.IsNull(overBudget);
        Assert.AreEqual(Pkcs12CertificateBags.Outcome.WrongPassword, outcome);
    }

    [TestMethod]
    public void TwoHundredAndOneCertificates_Refused()
    {
        var cert = new SafeBag(PkcsObjectIdentifiers.CertBag, new CertBag(PkcsObjectIdentifiers.X509Certificate, new DerOctetString(Leaf.Der)));
        var bytes = PfxOf(Plain(Enumerable.Repeat(cert, 201).ToArray()));

        var problem = CertificateLoader.Parse("/repo/many.pfx", bytes, []).Problems.Single();

        StringAssert.Contains(problem.Message, "more than 200 certificates");
    }

    [TestMethod]
    public void MacMatchesButCertificatesDoNotDecrypt_IsDamagedMst0001_NotAWrongPassword()
    {
        // arrange: flip the padding byte of the encrypted certificate bag (through the previous CBC block), MAC recomputed
        var pfx = Org.BouncyCastle.Asn1.Pkcs.Pfx.GetInstance(Asn1Object.FromByteArray(Leaf.ToPfx("pw", Issuing)));
        var authSafe = AuthenticatedSafe.GetInstance(Asn1Object.FromByteArray(Asn1OctetString.GetInstance(pfx.AuthSafe.Content).GetOctets()));
        var infos = authSafe.GetContentInfo().Select(info =>
        {
            if (!PkcsObjectIdentifiers.EncryptedData.Equals(info.ContentType)) return info;
            var encrypted = EncryptedData.GetInstance(info.Content);
            var data = encrypted.Content.GetOctets();
            data[data.Length - 9] ^= 0x01;
            return new ContentInfo(PkcsObjectIdentifiers.EncryptedData,
                new EncryptedData(encrypted.ContentType, encrypted.EncryptionAlgorithm, new BerOctetString(data)));
        }).ToArray();
        var damaged = new Org.BouncyCastle.Asn1.Pkcs.Pfx(new ContentInfo(PkcsObjectIdentifiers.Data, new DerOctetString(new AuthenticatedSafe(infos).GetEncoded())), pfx.MacData);
        var bytes = Org.BouncyCastle.Pkcs.Pkcs12Utilities.ConvertToDefiniteLength(damaged.GetEncoded(), "pw".ToCharArray());

        // act
        var file = CertificateLoader.Parse("/repo/damaged.pfx", bytes, ["pw"]);
        var wrong = CertificateLoader.Parse("/repo/damaged.pfx", bytes, ["other"]);

        // assert
        Assert.AreEqual("MST0001", file.Problems.Single().RuleId);
        StringAssert.Contains(file.Problems.Single().Message, "is damaged");
        Assert.AreEqual("MST0002", wrong.Problems.Single().RuleId); // no password known: it may just be locked
    }

    [TestMethod]
    public void TruncatedPfx_IsBrokenMst0001_NotAWrongPassword()
    {
        var bytes = Leaf.ToModernPfx("pw");

        var file = CertificateLoader.Parse("/repo/cut.pfx", bytes[..(bytes.Length / 2)], ["other"]);

        Assert.AreEqual("MST0001", file.Problems.Single().RuleId);
        StringAssert.Contains(file.Problems.Single().Message, "its structure is broken");
        Assert.IsFalse(file.IsLocked);
    }

    [TestMethod]
    public void Pkcs12Kdf_Sha256_MatchesBouncyCastle()
    {
        var salt = new byte[] { 9, 8, 7, 6, 5, 4, 3, 2 };
        var password = Org.BouncyCastle.Crypto.PbeParametersGenerator.Pkcs12PasswordToBytes("pässwörd".ToCharArray());
        var generator = new Org.BouncyCastle.Crypto.Generators.Pkcs12ParametersGenerator(new Org.BouncyCastle.Crypto.Digests.Sha256Digest());
        generator.Init(password, salt, 2048);
        var expected = ((Org.BouncyCastle.Crypto.Parameters.KeyParameter)generator.GenerateDerivedMacParameters(48 * 8)).GetKey();

        CollectionAssert.AreEqual(expected, Pkcs12Kdf.Derive(3, password, salt, 2048, 48, System.Security.Cryptography.HashAlgorithmName.SHA256));
    }

    [TestMethod]
    [DynamicData(nameof(Writers))]
    public void Pkcs12Mac_VerifiesOnlyWithTheRightPassword(string writer, Func<string, byte[]> write)
    {
        var pfx = Org.BouncyCastle.Asn1.Pkcs.Pfx.GetInstance(Asn1Object.FromByteArray(write("s3cr3t")));

        Assert.IsTrue(Pkcs12Mac.Verifies(pfx, pfx.MacData, "s3cr3t"), writer);
        Assert.IsFalse(Pkcs12Mac.Verifies(pfx, pfx.MacData, "other"), writer);
    }

    private static SafeBag ShroudedKey(int iterations) => new(PkcsObjectIdentifiers.Pkcs8ShroudedKeyBag,
        new EncryptedPrivateKeyInfo(new AlgorithmIdentifier(PkcsObjectIdentifiers.PbeWithShaAnd3KeyTripleDesCbc,
            new Pkcs12PbeParams(new byte[8], iterations)), new byte[48]));

    private static ContentInfo Plain(params SafeBag[] bags) =>
        new(PkcsObjectIdentifiers.Data, new DerOctetString(new DerSequence(bags).GetEncoded()));

    private static ContentInfo EncryptedBag(int iterations)
    {
        var pbkdf2 = new KeyDerivationFunc(PkcsObjectIdentifiers.IdPbkdf2,
            new Pbkdf2Params(new byte[8], iterations, new AlgorithmIdentifier(PkcsObjectIdentifiers.IdHmacWithSha256, DerNull.Instance)));
        var pbes2 = new PbeS2Parameters(pbkdf2, new EncryptionScheme(NistObjectIdentifiers.IdAes256Cbc, new DerOctetString(new byte[16])));
        return new ContentInfo(PkcsObjectIdentifiers.EncryptedData,
            new EncryptedData(PkcsObjectIdentifiers.Data, new AlgorithmIdentifier(PkcsObjectIdentifiers.IdPbeS2, pbes2), new BerOctetString(new byte[64])));
    }

    private static byte[] PfxOf(params ContentInfo[] contents) =>
        new Org.BouncyCastle.Asn1.Pkcs.Pfx(new ContentInfo(PkcsObjectIdentifiers.Data, new DerOctetString(new AuthenticatedSafe(contents).GetEncoded(Asn1Encodable.Der))), null)
            .GetEncoded(Asn1Encodable.Der);

    [TestMethod]
    public void Pkcs12Kdf_MatchesBouncyCastle()
    {
        var salt = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 };
        var password = Org.BouncyCastle.Crypto.PbeParametersGenerator.Pkcs12PasswordToBytes("smeg".ToCharArray());
        var generator = new Org.BouncyCastle.Crypto.Generators.Pkcs12ParametersGenerator(new Org.BouncyCastle.Crypto.Digests.Sha1Digest());
        generator.Init(password, salt, 1000);
        var expected = ((Org.BouncyCastle.Crypto.Parameters.KeyParameter)generator.GenerateDerivedMacParameters(24 * 8)).GetKey();

        // ID 3 is the MAC key; the derivation is the same for every ID, and 24 bytes spans two SHA-1 blocks.
        CollectionAssert.AreEqual(expected, Pkcs12Kdf.Derive(3, password, salt, 1000, 24));
    }

    private static string Sha256(TestCertificate c) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(c.Der));
}

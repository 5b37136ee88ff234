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
        var outcome = Pkcs12CertificateBags.Read(write("pw"), ["other", "pw"], out var bags);

        Assert.AreEqual(Pkcs12CertificateBags.Outcome.Opened, outcome, writer);
        Assert.HasCount(3, bags, writer);
        Assert.AreEqual(1, bags.Count(b => b.HasPrivateKey), writer);
        Assert.AreEqual(Pkcs12CertificateBags.Outcome.WrongPassword, Pkcs12CertificateBags.Read(write("pw"), ["other"], out _), writer);
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
        var outcome = Pkcs12CertificateBags.Read(bytes, ["pw"], out _);
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
        StringAssert.Contains(problem.Message, "600,000");
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
        StringAssert.Contains(file.Problems.Single().Message, "600,000");
    }

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

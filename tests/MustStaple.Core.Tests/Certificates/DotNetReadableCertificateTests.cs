using System.Security.Cryptography.X509Certificates;
using MustStaple.Certificates;
using MustStaple.Core.Tests.Rules;
using MustStaple.Diagnostics;
using MustStaple.Testing;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace MustStaple.Core.Tests.Certificates;

[TestClass]
public sealed class DotNetReadableCertificateTests
{
    private static readonly TestCertificate Issuer = new CertificateBuilder("Odd Issuing CA").AsCa().Build();
    private static readonly TestCertificate Leaf = new CertificateBuilder("odd.example").MustStaple()
        .Ocsp("http://ocsp.odd.example").CaIssuers("http://ca.odd.example/ca.cer").IssuedBy(Issuer).Build();

    // The kinds of certificate .NET (OpenSSL's d2i_X509) loads and BouncyCastle refuses, found in public test corpora.
    public static IEnumerable<object[]> Refused =>
    [
        ["an empty issuer name", (Func<byte[]>)(() => Mutate(Leaf, tbs => tbs[3] = new DerSequence()))],
        ["a repeated extension", (Func<byte[]>)(() => Mutate(Leaf, tbs => tbs[7] = new DerTaggedObject(true, 3,
            new DerSequence(Extensions(tbs).Append(Extensions(tbs).Last()).ToArray()))))],
        ["a KeyUsage with a trailing byte", (Func<byte[]>)(() => Mutate(Leaf, tbs => tbs[7] = new DerTaggedObject(true, 3,
            new DerSequence(Extensions(tbs).Select(e => KeyUsageWithTrailingByte(e)).ToArray()))))],
    ];

    [TestMethod]
    [DynamicData(nameof(Refused))]
    public void RefusedByBouncyCastle_LoadedByDotNet_EveryFactIsRead(string kind, Func<byte[]> build)
    {
        // arrange
        var der = build();
        Assert.Throws<Exception>(() => X509Facts.ParseDer(der), $"precondition: BouncyCastle refuses {kind}");
        using var dotnet = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(der);

        // act
        var file = CertificateLoader.Parse("/repo/odd.der", der, []);

        // assert
        Assert.IsEmpty(file.Problems, kind);
        var c = file.Certificates.Single();
        Assert.IsTrue(c.IsMustStaple, kind);
        Assert.AreEqual("http://ocsp.odd.example", string.Join(" ", c.OcspUrls), kind);
        Assert.AreEqual("http://ca.odd.example/ca.cer", string.Join(" ", c.CaIssuerUrls), kind);
        Assert.IsFalse(c.IsCa, kind);
        Assert.AreEqual("CN=odd.example", c.Subject, kind);
        Assert.AreEqual(TestClock.NotBefore, c.NotBefore, kind);
        Assert.AreEqual(TestClock.NotAfter, c.NotAfter, kind);
        Assert.AreEqual(Convert.ToHexStringLower(dotnet.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256)), c.Sha256, kind);
        Assert.AreEqual(Leaf.Certificate.SerialNumber.ToString(16), c.SerialNumber, kind);
        Assert.IsNotNull(c.SubjectKeyId, kind);
        Assert.AreEqual(Describe(Leaf.Der).AuthorityKeyId, c.AuthorityKeyId, kind);
    }

    [TestMethod]
    public void EmptyIssuerMustStapleWithoutOcsp_InPem_ReportsMst1001NotMst0001()
    {
        // arrange
        using var dir = new TestFolder();
        var noOcsp = new CertificateBuilder("empty-issuer.example").MustStaple().Build();
        var der = Mutate(noOcsp, tbs => tbs[3] = new DerSequence());
        var path = dir.Write("certs/site.pem", "-----BEGIN CERTIFICATE-----\n" + Convert.ToBase64String(der, Base64FormattingOptions.InsertLineBreaks) + "\n-----END CERTIFICATE-----\n");

        // act
        var result = dir.Lint();

        // assert
        Expect.None(result, "MST0001");
        var d = Expect.Single(result, "MST1001");
        Expect.At(d, path, 1, 1, 1, 28);
    }

    [TestMethod]
    public void PfxHoldingACertificateOnlyDotNetLoads_ItsKeyHolderIsJudged()
    {
        // arrange: .NET writes a PFX around the empty-issuer certificate and the leaf's key
        var der = Mutate(Leaf, tbs => tbs[3] = new DerSequence());
        using var cert = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(der);
        using var key = System.Security.Cryptography.ECDsa.Create();
        key.ImportFromPem(Leaf.KeyPem);
        using var withKey = cert.CopyWithPrivateKey(key);
        var pfx = withKey.ExportPkcs12(System.Security.Cryptography.X509Certificates.Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, "pw");

        // act
        var file = CertificateLoader.Parse("/repo/odd.pfx", pfx, ["pw"]);

        // assert
        Assert.IsEmpty(file.Problems);
        Assert.IsTrue(file.Leaf?.HasPrivateKey);
        Assert.IsTrue(file.Leaf!.IsMustStaple);
        Assert.AreEqual("http://ocsp.odd.example", string.Join(" ", file.Leaf.OcspUrls));
    }

    [TestMethod]
    public void ValidityNoReaderCanRead_StillJudged_OpenEnded()
    {
        // arrange: notBefore on the 32nd day of a month; OpenSSL (so .NET) loads it, but neither reads that time
        var der = Leaf.Der;
        var text = System.Text.Encoding.ASCII.GetBytes(TestClock.NotBefore.UtcDateTime.ToString("yyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture) + "Z");
        var at = der.AsSpan().IndexOf(text);
        Assert.IsGreaterThanOrEqualTo(0, at, "precondition: notBefore is a UTCTime");
        der[at + 4] = (byte)'3';
        der[at + 5] = (byte)'2';
        using var dotnet = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(der);

        // act
        var file = CertificateLoader.Parse("/repo/day32.der", der, []);

        // assert
        Assert.IsEmpty(file.Problems);
        var c = file.Certificates.Single();
        Assert.IsTrue(c.IsMustStaple);
        Assert.AreEqual(DateTimeOffset.MinValue, c.NotBefore);
        Assert.AreEqual(TestClock.NotAfter, c.NotAfter);
    }

    [TestMethod]
    public void DotNetReader_GivesTheSameFactsAsBouncyCastle()
    {
        foreach (var cert in new[] { Leaf, Issuer })
        {
            var bc = Describe(cert.Der);
            var platform = PlatformCertificate.TryDescribe(cert.Der, SourceLocation.StartOf("/repo/x.der"), CertificateFormat.Der, 0, false)!;

            Assert.AreEqual(Facts(bc), Facts(platform));
        }
    }

    [TestMethod]
    public void TruncatedDer_NeitherReaderLoadsIt_ReportsMst0001()
    {
        var file = CertificateLoader.Parse("/repo/cut.der", Leaf.Der[..(Leaf.Der.Length - 10)], []);

        var problem = file.Problems.Single();
        Assert.AreEqual("MST0001", problem.RuleId);
        StringAssert.Contains(problem.Message, "'cut.der'");
        Assert.IsEmpty(file.Certificates);
    }

    [TestMethod]
    public void CertificateShapeNeitherReaderLoads_SaysSo()
    {
        // A certificate whose validity is not a SEQUENCE: complete DER, so not truncated, but no reader takes it.
        var der = Mutate(Leaf, tbs => tbs[4] = DerNull.Instance);

        var problem = CertificateLoader.Parse("/repo/bad.crt", der, []).Problems.Single();

        StringAssert.Contains(problem.Message, "neither BouncyCastle nor .NET's certificate loader accepts it");
    }

    internal static byte[] Mutate(TestCertificate cert, Action<Asn1Encodable[]> edit)
    {
        var structure = cert.Certificate.CertificateStructure;
        var tbs = Asn1Sequence.GetInstance(structure.TbsCertificate.ToAsn1Object()).Cast<Asn1Encodable>().ToArray();
        edit(tbs);
        // The signature no longer matches; loaders do not verify it, and neither does the lint.
        return new DerSequence(new DerSequence(tbs), structure.SignatureAlgorithm, structure.Signature).GetEncoded();
    }

    private static IEnumerable<Asn1Encodable> Extensions(Asn1Encodable[] tbs) =>
        Asn1Sequence.GetInstance(((Asn1TaggedObject)tbs[7]).GetExplicitBaseObject()).Cast<Asn1Encodable>();

    private static Asn1Encodable KeyUsageWithTrailingByte(Asn1Encodable extension)
    {
        var e = Asn1Sequence.GetInstance(extension);
        if (!X509Extensions.KeyUsage.Equals(e[0])) return e;
        var value = Asn1OctetString.GetInstance(e[e.Count - 1]).GetOctets();
        return new DerSequence(e[0], e[1], new DerOctetString([.. value, 0x00]));
    }

    private static CertificateInfo Describe(byte[] der) =>
        X509Facts.Describe(X509Facts.ParseDer(der), SourceLocation.StartOf("/repo/x.der"), CertificateFormat.Der, 0, der: der);

    private static string Facts(CertificateInfo c) => string.Join("|",
        c.Subject, c.Issuer, c.SubjectKey, c.IssuerKey, c.SerialNumber, c.Sha256, c.SubjectKeyId, c.AuthorityKeyId, c.IsCa,
        c.IsSelfSigned, c.NotBefore, c.NotAfter, c.IsMustStaple, c.TlsFeature?.Critical, string.Join(",", c.OcspUrls), string.Join(",", c.CaIssuerUrls));
}

using MustStaple.Certificates;
using MustStaple.Core.Tests.Rules;
using MustStaple.Testing;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.X509;

namespace MustStaple.Core.Tests.Certificates;

[TestClass]
public sealed class DerContentTests
{
    private static readonly TestCertificate Ca = new CertificateBuilder("DER CA").AsCa().Build();
    private static readonly TestCertificate Leaf = new CertificateBuilder("der.example").MustStaple().IssuedBy(Ca).Build();

    public static IEnumerable<object[]> NotCertificates =>
    [
        ["a PKCS#8 private key", (Func<byte[]>)(() => PrivateKeyInfoFactory.CreatePrivateKeyInfo(Leaf.Key.Private).GetEncoded())],
        ["an EC private key", (Func<byte[]>)(() => PrivateKeyInfoFactory.CreatePrivateKeyInfo(Leaf.Key.Private).ParsePrivateKey().GetEncoded())],
        ["a public key", (Func<byte[]>)(() => SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(Leaf.Key.Public).GetEncoded())],
        ["a CRL", (Func<byte[]>)(() => Crl())],
        ["an OCSP response", (Func<byte[]>)(() => new OcspResponse(new OcspResponseStatus(OcspResponseStatus.TryLater), null).GetEncoded())],
        ["CMS enveloped data", (Func<byte[]>)(() => new ContentInfo(CmsObjectIdentifiers.EnvelopedData, new DerSequence(DerInteger.Zero)).GetEncoded())],
    ];

    [TestMethod]
    [DynamicData(nameof(NotCertificates))]
    public void NonCertificateDer_IsSilent(string kind, Func<byte[]> build)
    {
        // arrange
        using var dir = new TestFolder();
        dir.Write("files/thing.der", build());

        // act
        var result = dir.Lint();

        // assert
        Assert.IsEmpty(result.Diagnostics, $"{kind}: {string.Join(" | ", result.Diagnostics.Select(d => d.Message))}");
    }

    [TestMethod]
    public void DerCsrInDotDer_RequestingMustStaple_ReportsMst1007()
    {
        // arrange
        using var dir = new TestFolder();
        var pem = RequestBuilder.CsrPem("csr.example", mustStaple: true);
        var der = Convert.FromBase64String(string.Concat(pem.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal))));
        var path = dir.Write("req/site.der", der);

        // act
        var result = dir.Lint();

        // assert
        Expect.None(result, "MST0001");
        Expect.At(Expect.Single(result, "MST1007"), path, 1, 1, 1, 1);
    }

    [TestMethod]
    public void DerCsrWithoutMustStaple_IsSilent()
    {
        using var dir = new TestFolder();
        var pem = RequestBuilder.CsrPem("csr.example", mustStaple: false);
        dir.Write("site.der", Convert.FromBase64String(string.Concat(pem.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)))));

        var result = dir.Lint();

        Assert.IsEmpty(result.Diagnostics, string.Join(" | ", result.Diagnostics.Select(d => $"{d.Id} {d.Message}")));
    }

    [TestMethod]
    public void DerPkcs7Bundle_ItsCertificatesAreJudged()
    {
        // arrange: a certs-only SignedData (.p7b) holding the CA and a must-staple leaf without OCSP
        using var dir = new TestFolder();
        var signed = new SignedData(new DerSet(), new ContentInfo(CmsObjectIdentifiers.Data, null),
            new DerSet(new Asn1Encodable[] { Ca.Certificate.CertificateStructure, Leaf.Certificate.CertificateStructure }), null, new DerSet());
        var path = dir.Write("bundle.cer", new ContentInfo(CmsObjectIdentifiers.SignedData, signed).GetEncoded());

        // act
        var result = dir.Lint();

        // assert
        Expect.None(result, "MST0001");
        Expect.At(Expect.Single(result, "MST1001"), path, 1, 1, 1, 1);
    }

    [TestMethod]
    public void UnknownDer_SaysWhatItIsNot()
    {
        var problem = CertificateLoader.Parse("/repo/odd.der", new DerSet(DerBoolean.True).GetEncoded(), []).Problems.Single();

        Assert.AreEqual("MST0001", problem.RuleId);
        StringAssert.Contains(problem.Message, "it is DER, but not a certificate");
    }

    private static byte[] Crl()
    {
        var g = new X509V2CrlGenerator();
        g.SetIssuerDN(Ca.Certificate.SubjectDN);
        g.SetThisUpdate(TestClock.NotBefore.UtcDateTime);
        g.SetNextUpdate(TestClock.NotAfter.UtcDateTime);
        g.AddCrlEntry(BigInteger.Two, TestClock.NotBefore.UtcDateTime, 0);
        return g.Generate(new Org.BouncyCastle.Crypto.Operators.Asn1SignatureFactory("SHA256WITHECDSA", Ca.Key.Private)).GetEncoded();
    }
}

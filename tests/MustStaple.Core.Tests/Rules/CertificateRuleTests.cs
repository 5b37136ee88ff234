using MustStaple.Diagnostics;
using MustStaple.Testing;
using Org.BouncyCastle.Asn1;

namespace MustStaple.Core.Tests.Rules;

internal static class Expect
{
    public static Diagnostic Single(LintResult result, string id)
    {
        var found = result.Diagnostics.Where(d => d.Id == id).ToList();
        Assert.HasCount(1, found, $"expected one {id}; got: {string.Join(" | ", result.Diagnostics.Select(d => $"{d.Id} {d.Message}"))}");
        return found[0];
    }

    public static void None(LintResult result, string id) =>
        Assert.IsFalse(result.Diagnostics.Any(d => d.Id == id),
            $"expected no {id}; got: {string.Join(" | ", result.Diagnostics.Select(d => $"{d.Id} {Path.GetFileName(d.Location.Path)}({d.Location.Line}) {d.Message}"))}");

    public static void At(Diagnostic d, string path, int line, int column, int endLine, int endColumn)
    {
        Assert.AreEqual(path, d.Location.Path);
        Assert.AreEqual((line, column, endLine, endColumn), (d.Location.Line, d.Location.Column, d.Location.EndLine, d.Location.EndColumn));
    }
}

[TestClass]
public sealed class MustStapleWithoutOcspResponderTests
{
    [TestMethod]
    public void LeafWithMustStaple_NoOcspUrl_ReportsMst1001AtBeginLine()
    {
        // arrange
        using var dir = new TestFolder();
        var leaf = new CertificateBuilder("shop.example").MustStaple().Build();
        var path = dir.Write("certs/leaf.pem", "Subject: shop\r\n\r\n" + leaf.Pem.Replace("\n", "\r\n"));

        // act
        var d = Expect.Single(dir.Lint(), "MST1001");

        // assert
        Expect.At(d, path, 3, 1, 3, 28);
        Assert.AreEqual(Severity.Error, d.Severity);
        StringAssert.Contains(d.Message, "'shop.example'");
        StringAssert.Contains(d.Message, "has no OCSP URL");
    }

    [TestMethod]
    public void LeafWithMustStaple_OnlyHttpsOcspUrl_ReportsMst1001NamingTheUrl()
    {
        using var dir = new TestFolder();
        var leaf = new CertificateBuilder("shop.example").MustStaple().Ocsp("https://ocsp.example/").Ocsp("ldap://ocsp.example/").Build();
        dir.Write("leaf.der", leaf.Der);

        var d = Expect.Single(dir.Lint(), "MST1001");

        Expect.At(d, Path.Combine(dir.Root, "leaf.der"), 1, 1, 1, 1);
        StringAssert.Contains(d.Message, "https://ocsp.example/");
    }

    [TestMethod]
    public void LeafWithMustStaple_HttpOcspUrl_IsSilent()
    {
        using var dir = new TestFolder();
        dir.Write("leaf.crt", new CertificateBuilder("ok").MustStaple().Ocsp("http://ocsp.example/").Build().Pem);

        var result = dir.Lint();

        Assert.IsEmpty(result.Diagnostics);
    }

    [TestMethod]
    public void PlainLeafWithoutOcsp_IsSilent()
    {
        using var dir = new TestFolder();
        dir.Write("plain.pem", new CertificateBuilder("plain").Build().Pem);

        Assert.IsEmpty(dir.Lint().Diagnostics);
    }
}

[TestClass]
public sealed class OcspResponderRetiredTests
{
    [TestMethod]
    public void LetsEncryptResponder_AfterShutdown_ReportsMst1002()
    {
        using var dir = new TestFolder();
        var path = dir.Write("le.pem", new CertificateBuilder("le.example").MustStaple().Ocsp("http://r11.o.lencr.org").Build().Pem);

        var d = Expect.Single(dir.Lint(), "MST1002");

        Expect.At(d, path, 1, 1, 1, 28);
        StringAssert.Contains(d.Message, "Let's Encrypt");
        StringAssert.Contains(d.Message, "2025-08-06");
    }

    [TestMethod]
    public void LetsEncryptResponder_BeforeShutdown_IsSilent()
    {
        using var dir = new TestFolder();
        dir.Write("le.pem", new CertificateBuilder("le.example").MustStaple().Ocsp("http://ocsp.int-x3.letsencrypt.org")
            .Valid(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.Zero)).Build().Pem);

        var result = dir.Lint(r => new LintRequest { Paths = r.Paths, Now = new DateTimeOffset(2025, 8, 5, 0, 0, 0, TimeSpan.Zero) });

        Expect.None(result, "MST1002");
    }

    [TestMethod]
    public void OneLiveResponderBesideRetiredOne_IsSilent()
    {
        using var dir = new TestFolder();
        dir.Write("mixed.pem", new CertificateBuilder("x").MustStaple().Ocsp("http://r3.o.lencr.org").Ocsp("http://ocsp.example").Build().Pem);

        Expect.None(dir.Lint(), "MST1002");
    }
}

[TestClass]
public sealed class StatusRequestV2OnlyTests
{
    [TestMethod]
    public void V2Only_ReportsMst1003()
    {
        using var dir = new TestFolder();
        var path = dir.Write("v2.pem", "\n" + new CertificateBuilder("v2").TlsFeatures(17).Ocsp("http://ocsp.example").Build().Pem);

        var d = Expect.Single(dir.Lint(), "MST1003");

        Expect.At(d, path, 2, 1, 2, 28);
        Assert.AreEqual(Severity.Error, d.Severity);
    }

    [TestMethod]
    public void V2WithV1_IsSilent()
    {
        using var dir = new TestFolder();
        dir.Write("both.pem", new CertificateBuilder("both").TlsFeatures(5, 17).Ocsp("http://ocsp.example").Build().Pem);

        Expect.None(dir.Lint(), "MST1003");
    }
}

[TestClass]
public sealed class MalformedTlsFeatureTests
{
    [TestMethod]
    public void EmptyFeatureList_ReportsMst1004()
    {
        using var dir = new TestFolder();
        var path = dir.Write("empty.pem", new CertificateBuilder("empty").RawTlsFeature(new DerSequence()).Build().Pem);

        var d = Expect.Single(dir.Lint(), "MST1004");

        Expect.At(d, path, 1, 1, 1, 28);
        StringAssert.Contains(d.Message, "lists no feature");
        Assert.AreEqual(Severity.Warning, d.Severity);
    }

    [TestMethod]
    public void NotASequence_ReportsMst1004()
    {
        using var dir = new TestFolder();
        dir.Write("bad.pem", new CertificateBuilder("bad").RawTlsFeature(new DerUtf8String("status_request")).Build().Pem);

        StringAssert.Contains(Expect.Single(dir.Lint(), "MST1004").Message, "not a SEQUENCE of INTEGER");
    }

    [TestMethod]
    public void Critical_ReportsMst1004()
    {
        using var dir = new TestFolder();
        dir.Write("crit.pem", new CertificateBuilder("crit").MustStaple().TlsFeatureCritical().Ocsp("http://ocsp.example").Build().Pem);

        StringAssert.Contains(Expect.Single(dir.Lint(), "MST1004").Message, "is marked critical");
    }

    [TestMethod]
    public void WellFormed_IsSilent()
    {
        using var dir = new TestFolder();
        dir.Write("ok.pem", new CertificateBuilder("ok").MustStaple().Ocsp("http://ocsp.example").Build().Pem);

        Expect.None(dir.Lint(), "MST1004");
    }
}

[TestClass]
public sealed class MustStapleOnCaCertificateTests
{
    [TestMethod]
    public void CaWithMustStaple_ReportsMst1005OnTheCaBlock()
    {
        using var dir = new TestFolder();
        var root = new CertificateBuilder("Root").AsCa().Build();
        var ca = new CertificateBuilder("Issuing CA").AsCa().MustStaple().IssuedBy(root).Build();
        var leaf = new CertificateBuilder("leaf").IssuedBy(ca).Build();
        var path = dir.Write("chain.pem", TestCertificate.PemChain(leaf, ca, root));
        var caLine = leaf.Pem.Split('\n').Length; // the leaf block's lines, then the CA's BEGIN line

        var d = Expect.Single(dir.Lint(), "MST1005");

        Expect.At(d, path, caLine, 1, caLine, 28);
        StringAssert.Contains(d.Message, "'Issuing CA'");
        Expect.None(dir.Lint(), "MST1001");
    }

    [TestMethod]
    public void CaWithoutMustStaple_IsSilent()
    {
        using var dir = new TestFolder();
        dir.Write("root.pem", new CertificateBuilder("Root").AsCa().Build().Pem);

        Assert.IsEmpty(dir.Lint().Diagnostics);
    }
}

[TestClass]
public sealed class CertificateNotValidNowTests
{
    [TestMethod]
    public void ExpiredMustStaple_ReportsMst1006()
    {
        using var dir = new TestFolder();
        var path = dir.Write("old.pem", new CertificateBuilder("old").MustStaple().Ocsp("http://ocsp.example")
            .Valid(TestClock.Now.AddYears(-2), TestClock.Now.AddDays(-1)).Build().Pem);

        var d = Expect.Single(dir.Lint(), "MST1006");

        Expect.At(d, path, 1, 1, 1, 28);
        StringAssert.Contains(d.Message, "expired on 2026-01-14 00:00 UTC");
    }

    [TestMethod]
    public void NotYetValidMustStaple_ReportsMst1006()
    {
        using var dir = new TestFolder();
        dir.Write("future.pem", new CertificateBuilder("future").MustStaple().Ocsp("http://ocsp.example")
            .Valid(TestClock.Now.AddDays(1), TestClock.Now.AddYears(1)).Build().Pem);

        StringAssert.Contains(Expect.Single(dir.Lint(), "MST1006").Message, "is not valid before 2026-01-16");
    }

    [TestMethod]
    public void ExpiredPlainCertificate_IsSilent()
    {
        using var dir = new TestFolder();
        dir.Write("old.pem", new CertificateBuilder("old").Valid(TestClock.Now.AddYears(-2), TestClock.Now.AddDays(-1)).Build().Pem);

        Expect.None(dir.Lint(), "MST1006");
    }
}

[TestClass]
public sealed class MustStapleRequestedTests
{
    [TestMethod]
    public void CsrRequestingMustStaple_ReportsMst1007()
    {
        using var dir = new TestFolder();
        var path = dir.Write("site.csr", "\n\n" + RequestBuilder.CsrPem("site.example", mustStaple: true));

        var d = Expect.Single(dir.Lint(), "MST1007");

        Expect.At(d, path, 3, 1, 3, 36);
        Assert.AreEqual(Severity.Note, d.Severity);
        StringAssert.Contains(d.Message, "CN=site.example");
    }

    [TestMethod]
    public void CsrWithoutMustStaple_IsSilent()
    {
        using var dir = new TestFolder();
        dir.Write("site.req", RequestBuilder.CsrPem("site.example", mustStaple: false));

        Assert.IsEmpty(dir.Lint().Diagnostics);
    }

    [TestMethod]
    public void OpenSslConfigTlsFeature_ReportsMst1007AtTheKey()
    {
        using var dir = new TestFolder();
        var path = dir.Write("openssl.cnf", "[req]\nreq_extensions = v3_req\n\n[ v3_req ]\n  tlsfeature = status_request # must staple\n");

        var d = Expect.Single(dir.Lint(), "MST1007");

        Expect.At(d, path, 5, 3, 5, 30);
        StringAssert.Contains(d.Message, "[v3_req]");
    }

    [TestMethod]
    public void OpenSslConfigRawDer_ReportsMst1007()
    {
        using var dir = new TestFolder();
        dir.Write("ext.cnf", "[ext]\r\n1.3.6.1.5.5.7.1.24 = DER:30:03:02:01:05\r\n");

        Expect.At(Expect.Single(dir.Lint(), "MST1007"), Path.Combine(dir.Root, "ext.cnf"), 2, 1, 2, 40);
    }

    [TestMethod]
    public void OpenSslConfigV2OrCommentedOut_IsSilent()
    {
        using var dir = new TestFolder();
        dir.Write("openssl.cnf", "[v3]\ntlsfeature = status_request_v2\n# tlsfeature = status_request\n");

        Assert.IsEmpty(dir.Lint().Diagnostics);
    }
}

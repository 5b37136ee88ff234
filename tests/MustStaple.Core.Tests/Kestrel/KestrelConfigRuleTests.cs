using MustStaple.Core.Tests.Rules;
using MustStaple.Diagnostics;

namespace MustStaple.Core.Tests.Kestrel;

[TestClass]
public sealed class CertificateFileMissingTests
{
    [TestMethod]
    public void MissingPath_ReportsMst0003AtTheValue()
    {
        using var p = new WebProject().Settings(WebProject.Endpoint("""{ "Path": "certs/missing.pem", "KeyPath": "certs/missing.key" }"""));

        var result = p.Lint();

        var ds = result.Diagnostics.Where(d => d.Id == "MST0003").ToList();
        Assert.HasCount(2, ds);
        var (line, col) = p.Find("appsettings.json", "\"certs/missing.pem\"");
        Expect.At(ds[0], p.Path("appsettings.json"), line, col, line, col + 19);
        StringAssert.Contains(ds[0].Message, "Path 'certs/missing.pem' of endpoint 'Https' does not exist");
    }

    [TestMethod]
    public void ExistingPath_IsSilent()
    {
        using var p = new WebProject().Pem("c.pem", WebProject.Plain).File("c.key", "").Settings(WebProject.Endpoint("""{ "Path": "c.pem", "KeyPath": "c.key" }"""));

        Assert.IsEmpty(p.Lint().Diagnostics);
    }

    [TestMethod]
    public void NotPublished_ReportsMst0003()
    {
        using var p = new WebProject().Pem("c.pem", WebProject.Plain).File("c.key", "").Settings(WebProject.Endpoint("""{ "Path": "c.pem", "KeyPath": "c.key" }"""));

        var result = p.Lint(r => new LintRequest { Paths = r.Paths, Now = r.Now, SourceRoot = r.SourceRoot, PublishedFiles = new HashSet<string> { p.Path("c.key") } });

        StringAssert.Contains(Expect.Single(result, "MST0003").Message, "is not in the publish output");
    }

    [TestMethod]
    public void KeyPathNotPublished_AdviceMountsTheKeyAtRunTime_NeverShipsIt()
    {
        using var p = new WebProject().Pem("c.pem", WebProject.Plain).File("c.key", "").Settings(WebProject.Endpoint("""{ "Path": "c.pem", "KeyPath": "c.key" }"""));

        var result = p.Lint(r => new LintRequest { Paths = r.Paths, Now = r.Now, SourceRoot = r.SourceRoot, PublishedFiles = new HashSet<string> { p.Path("c.pem") } });

        var message = Expect.Single(result, "MST0003").Message;
        StringAssert.StartsWith(message, "KeyPath 'c.key'");
        StringAssert.Contains(message, "Mount the key at run time instead of shipping it: a secret or volume");
        Assert.DoesNotContain("CopyToPublishDirectory", message);
    }
}

[TestClass]
public sealed class CertificateNotCheckableTests
{
    [TestMethod]
    public void A13_StoreCertificate_ReportsMst0004()
    {
        using var p = new WebProject().Settings(WebProject.Endpoint("""{ "Subject": "localhost", "Store": "My", "Location": "CurrentUser", "AllowInvalid": true }"""));

        var d = Expect.Single(p.Lint(), "MST0004");

        var (line, col) = p.Find("appsettings.json", "\"localhost\"");
        Expect.At(d, p.Path("appsettings.json"), line, col, line, col + 11);
        Assert.AreEqual(Severity.Note, d.Severity);
    }

    [TestMethod]
    public void FileCertificateInsideRepo_IsSilent()
    {
        using var p = new WebProject().Pem("c.pem", WebProject.Plain).File("c.key", "").Settings(WebProject.Endpoint("""{ "Path": "c.pem", "KeyPath": "c.key" }"""));

        Expect.None(p.Lint(), "MST0004");
    }

    [TestMethod]
    public void AbsolutePathOutsideRepo_ReportsMst0004NotMst0003()
    {
        using var p = new WebProject().Settings(WebProject.Endpoint("""{ "Path": "/run/secrets/site.pfx", "Password": "x" }"""));

        var result = p.Lint();

        StringAssert.Contains(Expect.Single(result, "MST0004").Message, "outside the repository");
        Expect.None(result, "MST0003");
    }
}

[TestClass]
public sealed class EndpointDefaultsCertificateIgnoredTests
{
    [TestMethod]
    public void A21_EndpointDefaultsCertificate_ReportsMst2001AtTheKey()
    {
        using var p = new WebProject().Pem("c.pem", WebProject.Plain)
            .Settings("{\n  \"Kestrel\": {\n    \"EndpointDefaults\": {\n      \"Certificate\": { \"Path\": \"c.pem\" }\n    }\n  }\n}\n");

        Expect.At(Expect.Single(p.Lint(), "MST2001"), p.Path("appsettings.json"), 4, 7, 4, 20);
    }

    [TestMethod]
    public void EndpointDefaultsProtocolsOnly_IsSilent()
    {
        using var p = new WebProject().Settings("""{ "Kestrel": { "EndpointDefaults": { "Protocols": "Http1AndHttp2" } } }""");

        Assert.IsEmpty(p.Lint().Diagnostics);
    }
}

[TestClass]
public sealed class MultipleCertificateSourcesTests
{
    [TestMethod]
    public void PathAndSubject_ReportsMst2002()
    {
        using var p = new WebProject().Pem("c.pem", WebProject.Plain).Settings(WebProject.Endpoint("{\n \"Path\": \"c.pem\",\n \"Subject\": \"localhost\" }"));

        var d = Expect.Single(p.Lint(), "MST2002");

        var (line, col) = p.Find("appsettings.json", "\"Subject\"");
        Expect.At(d, p.Path("appsettings.json"), line, col, line, col + 9);
    }

    [TestMethod]
    public void PathOnly_IsSilent()
    {
        using var p = new WebProject().Pem("c.pem", WebProject.Plain).Settings(WebProject.Endpoint("""{ "Path": "c.pem" }"""));

        Expect.None(p.Lint(), "MST2002");
    }
}

[TestClass]
public sealed class HttpsConfigOnHttpEndpointTests
{
    [TestMethod]
    public void HttpUrlWithCertificate_ReportsMst2003()
    {
        using var p = new WebProject().Pem("c.pem", WebProject.Plain)
            .Settings("{\"Kestrel\":{\"Endpoints\":{\"Web\":{\n\"Url\":\"http://*:80\",\n\"Certificate\":{\"Path\":\"c.pem\"}}}}}");

        var d = Expect.Single(p.Lint(), "MST2003");

        Expect.At(d, p.Path("appsettings.json"), 3, 1, 3, 14);
        StringAssert.Contains(d.Message, "Endpoint 'Web'");
    }

    [TestMethod]
    public void HttpUrlWithoutCertificate_IsSilent()
    {
        using var p = new WebProject().Settings("""{"Kestrel":{"Endpoints":{"Web":{"Url":"http://*:80"}}}}""");

        Assert.IsEmpty(p.Lint().Diagnostics);
    }
}

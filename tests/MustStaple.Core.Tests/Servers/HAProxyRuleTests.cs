using MustStaple.Rules;
using MustStaple.Testing;

namespace MustStaple.Core.Tests.Servers;

[TestClass]
public sealed class HAProxyOcspFileMissingTests
{
    private const string Config = "global\n    log stdout local0\n\nfrontend fe\n    mode http\n    bind :443 ssl crt certs/site.pem alpn h2,http/1.1\n    default_backend be\n\nbackend be\n    server app 127.0.0.1:8080\n";

    [TestMethod]
    public void H01_MustStapleWithoutOcspFile_ReportsMst4004OnTheCrtArgument()
    {
        using var r = new ServerRepo().File("haproxy/certs/site.pem", TestCertificate.PemChain(ServerRepo.Leaf, ServerRepo.Intermediate) + ServerRepo.Leaf.KeyPem)
            .File("haproxy/haproxy.cfg", Config);

        var result = r.Lint();

        var d = result.Diagnostics.Single();
        Assert.AreEqual(RuleIds.HAProxyOcspFileMissing, d.Id, string.Join("\n", r.Lines(result)));
        r.AssertAt(d, "haproxy/haproxy.cfg", "certs/site.pem");
        StringAssert.Contains(d.Message, "certs/site.pem.ocsp");
    }

    [TestMethod]
    public void H02_ValidOcspFileAndChainInBundle_ReportsOnlyTheRefreshNote()
    {
        using var r = new ServerRepo().File("haproxy/certs/site.pem", TestCertificate.PemChain(ServerRepo.Leaf, ServerRepo.Intermediate) + ServerRepo.Leaf.KeyPem)
            .Staple("haproxy/certs/site.pem.ocsp", ServerRepo.Leaf).File("haproxy/haproxy.cfg", Config);

        var result = r.Lint();

        Assert.AreEqual(RuleIds.StapleFileNeedsRefresh, result.Diagnostics.Single().Id, string.Join("\n", r.Lines(result)));
    }

    [TestMethod]
    public void CrtFolderAndCrtList_AreFollowed_WithCrtBase()
    {
        using var r = new ServerRepo()
            .File("haproxy/certs/a.pem", TestCertificate.PemChain(ServerRepo.Leaf, ServerRepo.Intermediate) + ServerRepo.Leaf.KeyPem)
            .File("haproxy/certs/a.pem.key", "not a certificate")
            .File("haproxy/list/b.pem", TestCertificate.PemChain(ServerRepo.Other, ServerRepo.Intermediate))
            .File("haproxy/crt-list.txt", "# certificates\nb.pem [alpn h2] other.example\n")
            .File("haproxy/haproxy.cfg", "global\n    crt-base /usr/local/etc/haproxy/list\nfrontend fe\n    bind :443 ssl crt /usr/local/etc/haproxy/certs/ crt-list crt-list.txt\n");

        var result = r.Lint();

        var found = ServerRepo.Of(result, RuleIds.HAProxyOcspFileMissing);
        Assert.HasCount(2, found, string.Join("\n", r.Lines(result)));
        r.AssertAt(found[0], "haproxy/crt-list.txt", "b.pem");
        r.AssertAt(found[1], "haproxy/haproxy.cfg", "/usr/local/etc/haproxy/certs/");
    }

    [TestMethod]
    public void NotMustStaple_WithoutOcspFile_IsSilent()
    {
        using var r = new ServerRepo().File("haproxy/certs/site.pem", TestCertificate.PemChain(ServerRepo.Plain, ServerRepo.Intermediate)).File("haproxy/haproxy.cfg", Config);

        Assert.IsEmpty(r.Lint().Diagnostics);
    }
}

[TestClass]
public sealed class HAProxyStapleTests
{
    private const string Config = "frontend fe\n    bind :443 ssl crt site.pem\n";

    [TestMethod]
    public void H05_OcspFileWithoutIssuer_ReportsMst4002()
    {
        using var r = new ServerRepo().File("haproxy/site.pem", ServerRepo.Leaf.Pem + ServerRepo.Leaf.KeyPem)
            .Staple("haproxy/site.pem.ocsp", ServerRepo.Leaf).File("haproxy/haproxy.cfg", Config);

        var result = r.Lint();

        var d = result.Diagnostics.Single();
        Assert.AreEqual(RuleIds.StaplingIssuerNotFound, d.Id, string.Join("\n", r.Lines(result)));
        r.AssertAt(d, "haproxy/haproxy.cfg", "site.pem");
        StringAssert.Contains(d.Message, "refuses to start");
    }

    [TestMethod]
    public void H05b_OcspFileWithIssuerFile_ReportsOnlyTheRefreshNote()
    {
        using var r = new ServerRepo().File("haproxy/site.pem", ServerRepo.Leaf.Pem + ServerRepo.Leaf.KeyPem).Pem("haproxy/site.pem.issuer", ServerRepo.Intermediate)
            .Staple("haproxy/site.pem.ocsp", ServerRepo.Leaf).File("haproxy/haproxy.cfg", Config);

        var result = r.Lint();

        Assert.AreEqual(RuleIds.StapleFileNeedsRefresh, result.Diagnostics.Single().Id, string.Join("\n", r.Lines(result)));
    }

    [TestMethod]
    [DataRow(-120, "expired")]
    [DataRow(180, "300 s")]
    public void H03_H03b_H03d_OcspFileExpiredOrInsideTheSkew_ReportsMst4005(int nextUpdateSeconds, string expected)
    {
        using var r = new ServerRepo().File("haproxy/site.pem", TestCertificate.PemChain(ServerRepo.Leaf, ServerRepo.Intermediate) + ServerRepo.Leaf.KeyPem)
            .Staple("haproxy/site.pem.ocsp", ServerRepo.Leaf, TimeSpan.FromSeconds(nextUpdateSeconds)).File("haproxy/haproxy.cfg", Config);

        var result = r.Lint();

        var d = result.Diagnostics.Single();
        Assert.AreEqual(RuleIds.StapleFileInvalid, d.Id, string.Join("\n", r.Lines(result)));
        r.AssertAt(d, "haproxy/haproxy.cfg", "site.pem");
        StringAssert.Contains(d.Message, expected);
        Assert.AreEqual(r.Path("haproxy/site.pem.ocsp"), d.RelatedLocations[0].Path);
    }

    [TestMethod]
    public void H03c_OcspFileTenMinutesLeft_HasNoError()
    {
        using var r = new ServerRepo().File("haproxy/site.pem", TestCertificate.PemChain(ServerRepo.Leaf, ServerRepo.Intermediate) + ServerRepo.Leaf.KeyPem)
            .Staple("haproxy/site.pem.ocsp", ServerRepo.Leaf, TimeSpan.FromMinutes(10)).File("haproxy/haproxy.cfg", Config);

        Assert.AreEqual(RuleIds.StapleFileNeedsRefresh, r.Lint().Diagnostics.Single().Id);
    }
}

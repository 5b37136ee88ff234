using MustStaple.Rules;
using MustStaple.Testing;

namespace MustStaple.Core.Tests.Servers;

[TestClass]
public sealed class StaplingOffTests
{
    [TestMethod]
    public void N01_NginxWithoutSslStapling_ReportsMst4001OnTheCertificateLine()
    {
        using var r = new ServerRepo().Pem("nginx/certs/chain.pem", ServerRepo.Leaf, ServerRepo.Intermediate)
            .File("nginx/nginx.conf", ServerRepo.NginxMain("        ssl_certificate certs/chain.pem;\n        ssl_certificate_key certs/key.pem;"));

        var result = r.Lint();

        var d = ServerRepo.Of(result, RuleIds.StaplingOff).Single();
        r.AssertAt(d, "nginx/nginx.conf", "certs/chain.pem");
        Assert.AreEqual(Diagnostics.Severity.Error, d.Severity);
        StringAssert.Contains(d.Message, "ssl_stapling on;");
        Assert.AreEqual(r.Path("nginx/certs/chain.pem"), d.RelatedLocations[^1].Path);
    }

    [TestMethod]
    public void IncludeGlob_SkipsDotFiles_AsNginxAndApacheGlobDo()
    {
        // h5bp's server-configs-nginx ships its TLS default server as conf.d/.default.conf so that `include conf.d/*.conf`
        // leaves it out (checked with nginx -t and apache2 -t: glob(3) wildcards never match a leading '.').
        var server = "server {\n    listen 443 ssl;\n    ssl_certificate certs/chain.pem;\n}\n";
        using var r = new ServerRepo().Pem("nginx/certs/chain.pem", ServerRepo.Leaf, ServerRepo.Intermediate)
            .File("nginx/nginx.conf", "events {}\nhttp {\n    include conf.d/*.conf;\n}\n")
            .File("nginx/conf.d/.default.conf", server)
            .File("nginx/conf.d/site.conf", server.Replace("443", "8443", StringComparison.Ordinal));

        var found = ServerRepo.Of(r.Lint(), RuleIds.StaplingOff);

        Assert.HasCount(1, found);
        Assert.AreEqual(r.Path("nginx/conf.d/site.conf"), found[0].Location.Path);
    }

    [TestMethod]
    public void NginxExplicitStaplingOff_ReportsMst4001OnThatDirective()
    {
        using var r = new ServerRepo().Pem("nginx/chain.pem", ServerRepo.Leaf, ServerRepo.Intermediate)
            .File("nginx/nginx.conf", ServerRepo.NginxMain("        ssl_certificate chain.pem;\n        ssl_stapling off;"));

        var d = ServerRepo.Of(r.Lint(), RuleIds.StaplingOff).Single();

        r.AssertAt(d, "nginx/nginx.conf", "ssl_stapling off");
    }

    [TestMethod]
    public void N10b_StaplingFileWithoutStaplingOn_ReportsMst4001Only()
    {
        using var r = new ServerRepo().Pem("nginx/chain.pem", ServerRepo.Leaf, ServerRepo.Intermediate).Staple("nginx/ocsp.der", ServerRepo.Leaf, TimeSpan.FromDays(-1))
            .File("nginx/nginx.conf", ServerRepo.NginxMain("        ssl_certificate chain.pem;\n        ssl_stapling_file ocsp.der;"));

        var result = r.Lint();

        Assert.HasCount(1, ServerRepo.Of(result, RuleIds.StaplingOff));
        Assert.IsEmpty(ServerRepo.Of(result, RuleIds.StapleFileInvalid), "nginx ignores the file without ssl_stapling on");
        Assert.IsEmpty(ServerRepo.Of(result, RuleIds.UnreadableInput), string.Join("\n", r.Lines(result)));
    }

    [TestMethod]
    public void StaplingOnInheritedFromHttp_ReportsOnlyTheRefreshNote()
    {
        using var r = new ServerRepo().Pem("nginx/chain.pem", ServerRepo.Leaf, ServerRepo.Intermediate).Staple("nginx/ocsp.der", ServerRepo.Leaf)
            .File("nginx/nginx.conf", ServerRepo.NginxMain("        ssl_certificate chain.pem;", http: "    ssl_stapling on;\n    ssl_stapling_file ocsp.der;"));

        var result = r.Lint();

        Assert.AreEqual(RuleIds.StapleFileNeedsRefresh, result.Diagnostics.Single().Id, string.Join("\n", r.Lines(result)));
    }

    [TestMethod]
    public void NotMustStaple_StaplingOff_IsSilent()
    {
        using var r = new ServerRepo().Pem("nginx/chain.pem", ServerRepo.Plain, ServerRepo.Intermediate)
            .File("nginx/nginx.conf", ServerRepo.NginxMain("        ssl_certificate chain.pem;"));

        var result = r.Lint();

        Assert.IsEmpty(result.Diagnostics, string.Join("\n", r.Lines(result)));
    }

    [TestMethod]
    public void ConfDFileWithoutMainConfig_IncludedGlob_AndServerLevelCertificate_AreRead()
    {
        // The official image's layout: only conf.d/default.conf in the repository, paths under /etc/nginx/.
        using var r = new ServerRepo().Pem("deploy/nginx/certs/site.pem", ServerRepo.Leaf, ServerRepo.Intermediate)
            .File("deploy/nginx/conf.d/default.conf", "include /etc/nginx/snippets/*.conf;\nserver {\n    listen 443 ssl http2;\n    include snippets/tls/cert.inc;\n}\n")
            .File("deploy/nginx/snippets/ssl.conf", "ssl_protocols TLSv1.2 TLSv1.3;\n")
            .File("deploy/nginx/snippets/tls/cert.inc", "ssl_certificate /etc/nginx/certs/site.pem;\n");

        var d = ServerRepo.Of(r.Lint(), RuleIds.StaplingOff).Single();

        r.AssertAt(d, "deploy/nginx/snippets/tls/cert.inc", "/etc/nginx/certs/site.pem");
    }

    [TestMethod]
    public void MissingCertificate_RelativePath_IsMst0001_ContainerPath_IsNotGuessed()
    {
        using var r = new ServerRepo().File("nginx/nginx.conf", ServerRepo.NginxMain("        ssl_certificate certs/missing.pem;\n        ssl_trusted_certificate /etc/nginx/mounted/ca.pem;"));

        var result = r.Lint();

        var d = ServerRepo.Of(result, RuleIds.UnreadableInput).Single();
        r.AssertAt(d, "nginx/nginx.conf", "certs/missing.pem");
        StringAssert.Contains(d.Message, "nginx will not start");
    }

    [TestMethod]
    public void DebianLayout_EnabledSiteReportedOnce_SiteNotEnabledIsNotServed()
    {
        using var r = new ServerRepo().Pem("nginx/chain.pem", ServerRepo.Leaf, ServerRepo.Intermediate)
            .File("nginx/nginx.conf", "events {}\nhttp {\n    include /etc/nginx/sites-enabled/*;\n}\n")
            .File("nginx/sites-available/a.conf", "server {\n    listen 443 ssl;\n    ssl_certificate chain.pem;\n}\n")
            .File("nginx/sites-available/b.conf", "server {\n    listen 8443 ssl;\n    ssl_certificate chain.pem;\n}\n");
        Directory.CreateDirectory(r.Path("nginx/sites-enabled"));
        File.CreateSymbolicLink(r.Path("nginx/sites-enabled/a.conf"), "../sites-available/a.conf");

        var result = r.Lint();

        var d = ServerRepo.Of(result, RuleIds.StaplingOff).Single();
        Assert.AreEqual(r.Path("nginx/sites-enabled/a.conf"), d.Location.Path, string.Join("\n", r.Lines(result)));
    }

    [TestMethod]
    public void IncludeOutsideTheRepository_IsReportedAndNotRead()
    {
        using var r = new ServerRepo().File("nginx/nginx.conf", "events {}\nhttp {\n    include ../../../../etc/passwd;\n}\n");

        var d = ServerRepo.Of(r.Lint(), RuleIds.UnreadableInput).Single();

        r.AssertAt(d, "nginx/nginx.conf", "../../../../etc/passwd");
        StringAssert.Contains(d.Message, "outside the repository");
    }
}

[TestClass]
public sealed class StaplingIssuerNotFoundTests
{
    [TestMethod]
    public void N03_NginxLeafOnly_ReportsMst4002()
    {
        using var r = new ServerRepo().Pem("nginx/leaf.pem", ServerRepo.Leaf)
            .File("nginx/nginx.conf", ServerRepo.NginxMain("        ssl_certificate leaf.pem;\n        ssl_stapling on;"));

        var result = r.Lint();

        var d = ServerRepo.Of(result, RuleIds.StaplingIssuerNotFound).Single();
        r.AssertAt(d, "nginx/nginx.conf", "leaf.pem");
        StringAssert.Contains(d.Message, "ssl_trusted_certificate");
        Assert.IsEmpty(ServerRepo.Of(result, RuleIds.NginxFirstHandshakeUnstapled), "it never staples; the lazy-fetch warning does not apply");
    }

    [TestMethod]
    public void N04_NginxLeafOnlyWithTrustedCertificate_IsSilent()
    {
        using var r = new ServerRepo().Pem("nginx/leaf.pem", ServerRepo.Leaf).Pem("nginx/ca.pem", ServerRepo.Intermediate, ServerRepo.Root)
            .File("nginx/nginx.conf", ServerRepo.NginxMain("        ssl_certificate leaf.pem;\n        ssl_stapling on;\n        ssl_trusted_certificate ca.pem;"));

        var result = r.Lint();

        Assert.IsEmpty(ServerRepo.Of(result, RuleIds.StaplingIssuerNotFound), string.Join("\n", r.Lines(result)));
    }
}

[TestClass]
public sealed class NginxFirstHandshakeUnstapledTests
{
    [TestMethod]
    public void N02_NginxStaplingOnWithoutFile_ReportsMst4006OnTheStaplingLine()
    {
        using var r = new ServerRepo().Pem("nginx/chain.pem", ServerRepo.Leaf, ServerRepo.Intermediate)
            .File("nginx/nginx.conf", ServerRepo.NginxMain("        ssl_certificate chain.pem;\n        ssl_stapling on;"));

        var result = r.Lint();

        var d = result.Diagnostics.Single();
        Assert.AreEqual(RuleIds.NginxFirstHandshakeUnstapled, d.Id);
        Assert.AreEqual(Diagnostics.Severity.Warning, d.Severity);
        r.AssertAt(d, "nginx/nginx.conf", "ssl_stapling on");
    }

    [TestMethod]
    public void N08_NginxWithValidStaplingFile_HasNoMst4006()
    {
        using var r = new ServerRepo().Pem("nginx/chain.pem", ServerRepo.Leaf, ServerRepo.Intermediate).Staple("nginx/ocsp.der", ServerRepo.Leaf)
            .File("nginx/nginx.conf", ServerRepo.NginxMain("        ssl_certificate chain.pem;\n        ssl_stapling on;\n        ssl_stapling_file ocsp.der;"));

        var result = r.Lint();

        Assert.IsEmpty(ServerRepo.Of(result, RuleIds.NginxFirstHandshakeUnstapled), string.Join("\n", r.Lines(result)));
    }
}

[TestClass]
public sealed class StapleFileNeedsRefreshTests
{
    [TestMethod]
    public void N08_ValidStaplingFile_ReportsMst4008NoteWithTheTimeLeft()
    {
        using var r = new ServerRepo().Pem("nginx/chain.pem", ServerRepo.Leaf, ServerRepo.Intermediate).Staple("nginx/ocsp.der", ServerRepo.Leaf, TimeSpan.FromHours(50))
            .File("nginx/nginx.conf", ServerRepo.NginxMain("        ssl_certificate chain.pem;\n        ssl_stapling on;\n        ssl_stapling_file ocsp.der;"));

        var result = r.Lint();

        var d = result.Diagnostics.Single();
        Assert.AreEqual(RuleIds.StapleFileNeedsRefresh, d.Id, string.Join("\n", r.Lines(result)));
        Assert.AreEqual(Diagnostics.Severity.Note, d.Severity);
        r.AssertAt(d, "nginx/nginx.conf", "ocsp.der");
        StringAssert.Contains(d.Message, "valid until 2026-01-17T02:00:00Z (2 d 2 h left");
    }

    [TestMethod]
    public void HAProxyValidOcspFile_CountsTheSkew()
    {
        using var r = new ServerRepo().File("haproxy/site.pem", TestCertificate.PemChain(ServerRepo.Leaf, ServerRepo.Intermediate))
            .Staple("haproxy/site.pem.ocsp", ServerRepo.Leaf, TimeSpan.FromHours(1)).File("haproxy/haproxy.cfg", "frontend fe\n    bind :443 ssl crt site.pem\n");

        var d = ServerRepo.Of(r.Lint(), RuleIds.StapleFileNeedsRefresh).Single();

        StringAssert.Contains(d.Message, "valid until 2026-01-15T00:55:00Z (55 min left");
    }

    [TestMethod]
    public void ExpiredStaplingFile_IsMst4005NotMst4008()
    {
        using var r = new ServerRepo().Pem("nginx/chain.pem", ServerRepo.Leaf, ServerRepo.Intermediate).Staple("nginx/ocsp.der", ServerRepo.Leaf, TimeSpan.FromHours(-1))
            .File("nginx/nginx.conf", ServerRepo.NginxMain("        ssl_certificate chain.pem;\n        ssl_stapling on;\n        ssl_stapling_file ocsp.der;"));

        var result = r.Lint();

        Assert.IsEmpty(ServerRepo.Of(result, RuleIds.StapleFileNeedsRefresh), string.Join("\n", r.Lines(result)));
    }
}

[TestClass]
public sealed class StapleFileInvalidTests
{
    private static ServerRepo Nginx(Func<ServerRepo, ServerRepo> staple) =>
        staple(new ServerRepo().Pem("nginx/chain.pem", ServerRepo.Leaf, ServerRepo.Intermediate))
            .File("nginx/nginx.conf", ServerRepo.NginxMain("        ssl_certificate chain.pem;\n        ssl_stapling on;\n        ssl_stapling_file ocsp.der;"));

    [TestMethod]
    [DataRow("expired", "expired at")]
    [DataRow("other", "another certificate")]
    [DataRow("signature", "signature")]
    [DataRow("revoked", "revoked")]
    [DataRow("trylater", "tryLater")]
    [DataRow("garbage", "not a DER OCSP response")]
    public void N09_N10_N15_BadStaplingFile_ReportsMst4005OnTheFileLine(string kind, string expected)
    {
        using var r = Nginx(repo => kind switch
        {
            "expired" => repo.Staple("nginx/ocsp.der", ServerRepo.Leaf, TimeSpan.FromDays(-1)),
            "other" => repo.Staple("nginx/ocsp.der", ServerRepo.Other),
            "signature" => repo.Staple("nginx/ocsp.der", ServerRepo.Leaf, signer: ServerRepo.Stranger),
            "revoked" => repo.Staple("nginx/ocsp.der", ServerRepo.Leaf, revoked: true),
            "trylater" => repo.File("nginx/ocsp.der", OcspResponses.Unsuccessful(Org.BouncyCastle.Ocsp.OcspRespStatus.TryLater)),
            _ => repo.File("nginx/ocsp.der", [0x30, 0x03, 0x0A, 0x01]),
        });

        var result = r.Lint();

        var d = ServerRepo.Of(result, RuleIds.StapleFileInvalid).Single();
        r.AssertAt(d, "nginx/nginx.conf", "ocsp.der");
        StringAssert.Contains(d.Message, expected);
        Assert.AreEqual(r.Path("nginx/ocsp.der"), d.RelatedLocations[0].Path);
        Assert.IsEmpty(ServerRepo.Of(result, RuleIds.UnreadableInput), "a staple file is not read as a certificate");
    }

    [TestMethod]
    public void ValidStaplingFile_IsSilent()
    {
        using var r = Nginx(repo => repo.Staple("nginx/ocsp.der", ServerRepo.Leaf));

        var result = r.Lint();

        Assert.IsEmpty(ServerRepo.Of(result, RuleIds.StapleFileInvalid), string.Join("\n", r.Lines(result)));
    }
}

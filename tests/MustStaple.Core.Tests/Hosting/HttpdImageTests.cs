using MustStaple.Core.Tests.Rules;
using MustStaple.Core.Tests.Servers;
using MustStaple.Diagnostics;
using MustStaple.Rules;

namespace MustStaple.Core.Tests.Hosting;

/// <summary>
/// The httpd image's documented customisation (issue 19): the Dockerfile copies the repository's httpd.conf, a site
/// file it includes relative to ServerRoot, and the certificates, each under /usr/local/apache2. Paths resolve
/// through the hosting layer, not the repository folder. The real-Apache twins are in the end-to-end tests.
/// </summary>
[TestClass]
public sealed class HttpdImageTests
{
    private const string Dockerfile = """
        FROM httpd:2.4
        COPY httpd.conf /usr/local/apache2/conf/httpd.conf
        COPY site.conf  /usr/local/apache2/conf/extra/site.conf
        COPY certs/     /usr/local/apache2/certs/
        """;

    private static ServerRepo Repo(string site, string global, bool leafOnly = false, string serverRoot = "ServerRoot \"/usr/local/apache2\"\n") =>
        new ServerRepo().Pem("certs/site.pem", leafOnly ? [ServerRepo.Leaf] : [ServerRepo.Leaf, ServerRepo.Intermediate])
            .File("Dockerfile", Dockerfile)
            .File("httpd.conf", serverRoot + "Listen 443\nLoadModule ssl_module modules/mod_ssl.so\n" + global + "\nInclude conf/extra/httpd-default.conf\nInclude conf/extra/site.conf\n")
            .File("site.conf", "<VirtualHost *:443>\n    ServerName localhost\n    SSLEngine on\n    SSLCertificateFile certs/site.pem\n    SSLCertificateKeyFile certs/site.key\n" + site + "</VirtualHost>\n");

    private const string Cache = "SSLStaplingCache shmcb:logs/ssl_stapling(32768)";

    private static string Lines(ServerRepo r, LintResult result) => string.Join("\n", r.Lines(result));

    [TestMethod]
    public void NoStapling_ReportsMst4001OnTheSiteFile_NotAMissingInclude()
    {
        using var r = Repo("", Cache);

        var result = r.Lint();

        Expect.None(result, RuleIds.UnreadableInput);
        var d = ServerRepo.Of(result, RuleIds.StaplingOff).Single();
        Assert.AreEqual(r.Path("site.conf"), d.Location.Path, Lines(r, result));
    }

    [TestMethod]
    public void StaplingWithoutCache_ReportsMst4003OnTheDirective()
    {
        using var r = Repo("    SSLUseStapling on\n", "SSLProtocol -all +TLSv1.2");

        var result = r.Lint();

        r.AssertAt(ServerRepo.Of(result, RuleIds.ApacheStaplingCacheMissing).Single(), "site.conf", "SSLUseStapling on");
        Expect.None(result, RuleIds.UnreadableInput);
    }

    [TestMethod]
    public void LeafOnly_ReportsMst4002OnTheCertificateLine()
    {
        using var r = Repo("    SSLUseStapling on\n", Cache, leafOnly: true);

        var result = r.Lint();

        r.AssertAt(ServerRepo.Of(result, RuleIds.StaplingIssuerNotFound).Single(), "site.conf", "certs/site.pem");
    }

    [TestMethod]
    public void StaplingCacheAndFullChain_IsClean()
    {
        using var r = Repo("    SSLUseStapling on\n", Cache);

        var result = r.Lint();

        Assert.IsFalse(result.Diagnostics.Any(d => d.Severity >= Severity.Warning), Lines(r, result));
        Expect.None(result, RuleIds.UnreadableInput);
    }

    [TestMethod]
    public void NoServerRootDirective_TheImagesCompiledInRootApplies()
    {
        using var r = Repo("", Cache, serverRoot: "");

        var result = r.Lint();

        Expect.None(result, RuleIds.UnreadableInput);
        Assert.AreEqual(r.Path("site.conf"), ServerRepo.Of(result, RuleIds.StaplingOff).Single().Location.Path, Lines(r, result));
    }

    [TestMethod]
    public void CertificateTheDockerfileDoesNotCopy_IsTheImagesOwn_NotReported()
    {
        using var r = new ServerRepo().File("Dockerfile", "FROM httpd:2.4\nCOPY httpd.conf /usr/local/apache2/conf/httpd.conf\n")
            .File("httpd.conf", "Listen 443\n<VirtualHost *:443>\n    SSLEngine on\n    SSLCertificateFile /usr/local/apache2/conf/server.crt\n</VirtualHost>\nInclude conf/extra/httpd-ssl.conf\n");

        var result = r.Lint();

        Assert.IsEmpty(result.Diagnostics, Lines(r, result));
    }

    [TestMethod]
    public void AppImageCopyingTheWholeRepository_DoesNotRunTheProxy_ItsOwnLayoutApplies()
    {
        using var r = new ServerRepo().Pem("nginx/certs/site.pem", ServerRepo.Leaf)
            .File("Dockerfile", "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nCOPY . /app/\n")
            .File("nginx/nginx.conf", ServerRepo.NginxMain("        ssl_certificate /etc/nginx/certs/site.pem;\n        ssl_stapling on;\n"));

        var result = r.Lint();

        r.AssertAt(ServerRepo.Of(result, RuleIds.StaplingIssuerNotFound).Single(), "nginx/nginx.conf", "/etc/nginx/certs/site.pem");
    }

    [TestMethod]
    public void CopiedCertificateFolderLacksTheFile_ReportsMst0001AtTheDirective()
    {
        using var r = Repo("", Cache);
        File.Delete(r.Path("certs/site.pem"));
        r.File("certs/other.txt", "");

        var result = r.Lint();

        r.AssertAt(ServerRepo.Of(result, RuleIds.UnreadableInput).Single(), "site.conf", "certs/site.pem");
    }
}

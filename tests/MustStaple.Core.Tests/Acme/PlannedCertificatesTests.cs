using MustStaple.Core.Tests.Servers;
using MustStaple.Rules;

namespace MustStaple.Core.Tests.Acme;

/// <summary>Servers judged before the certificate exists: the file an ACME client will write, served by a configuration in the repository.</summary>
[TestClass]
public sealed class PlannedCertificatesTests
{
    private const string Script = "certbot certonly --webroot -w /var/www -d example.org --must-staple\n";

    [TestMethod]
    public void NginxServingCertbotsLiveFolder_WithoutStapling_GetsTheNginxVerdict_WithTheRequestRelated()
    {
        using var r = new ServerRepo().File("scripts/certs", Script)
            .File("nginx/nginx.conf", ServerRepo.NginxMain("        ssl_certificate /etc/letsencrypt/live/example.org/fullchain.pem;"));

        var result = r.Lint();

        var d = ServerRepo.Of(result, RuleIds.StaplingOff).Single();
        r.AssertAt(d, "nginx/nginx.conf", "/etc/letsencrypt/live/example.org/fullchain.pem");
        StringAssert.Contains(d.Message, "example.org (not issued yet: certbot --must-staple)");
        var (line, column) = r.Find("scripts/certs", "--must-staple");
        Assert.IsTrue(d.RelatedLocations.Any(l => l.Path == r.Path("scripts/certs") && l.Line == line && l.Column == column), "the request is a related location");
        Assert.HasCount(1, ServerRepo.Of(result, RuleIds.MustStapleRefusedByCa));
    }

    [TestMethod]
    public void StaplingOnWithFullChain_IsTheFirstHandshakeVerdict_NotIssuerNotFound()
    {
        using var r = new ServerRepo().File("scripts/certs", Script)
            .File("nginx/nginx.conf", ServerRepo.NginxMain("        ssl_certificate /etc/letsencrypt/live/example.org/fullchain.pem;\n        ssl_stapling on;"));

        var result = r.Lint();

        Assert.HasCount(1, ServerRepo.Of(result, RuleIds.NginxFirstHandshakeUnstapled));
        Assert.IsEmpty(ServerRepo.Of(result, RuleIds.StaplingIssuerNotFound));
        Assert.IsEmpty(ServerRepo.Of(result, RuleIds.StaplingOff));
    }

    [TestMethod]
    public void LeafOnlyCertPem_IssuerNotFound_UnlessChainPemIsTrusted()
    {
        using var bare = new ServerRepo().File("scripts/certs", Script)
            .File("nginx/nginx.conf", ServerRepo.NginxMain("        ssl_certificate /etc/letsencrypt/live/example.org/cert.pem;\n        ssl_stapling on;"));
        using var trusted = new ServerRepo().File("scripts/certs", Script)
            .File("nginx/nginx.conf", ServerRepo.NginxMain("        ssl_certificate /etc/letsencrypt/live/example.org/cert.pem;\n        ssl_trusted_certificate /etc/letsencrypt/live/example.org/chain.pem;\n        ssl_stapling on;"));

        var d = ServerRepo.Of(bare.Lint(), RuleIds.StaplingIssuerNotFound).Single();
        var withChain = trusted.Lint();

        bare.AssertAt(d, "nginx/nginx.conf", "/etc/letsencrypt/live/example.org/cert.pem");
        Assert.IsEmpty(ServerRepo.Of(withChain, RuleIds.StaplingIssuerNotFound));
        Assert.HasCount(1, ServerRepo.Of(withChain, RuleIds.NginxFirstHandshakeUnstapled));
    }

    [TestMethod]
    public void ServerForAnotherName_IsNotJudged_AndTheNoteSaysSo()
    {
        using var r = new ServerRepo().File("scripts/certs", "certbot certonly --server https://acme.example.net/dir -d example.org --must-staple\n")
            .File("nginx/nginx.conf", ServerRepo.NginxMain("        ssl_certificate /etc/letsencrypt/live/other.org/fullchain.pem;"));

        var result = r.Lint();

        Assert.IsEmpty(ServerRepo.Of(result, RuleIds.StaplingOff));
        StringAssert.Contains(ServerRepo.Of(result, RuleIds.MustStapleCertificateRequested).Single().Message, "no server configuration in this repository serves");
    }

    [TestMethod]
    public void ALoopOverDomains_MatchesEveryLiveFolder_ButANamedRequestWins()
    {
        using var r = new ServerRepo()
            .File("scripts/certs", "for d in a.org b.org; do certbot certonly -d \"$d\" --must-staple; done\ncertbot certonly --server https://acme.example.net/dir -d c.org --must-staple\n")
            .File("nginx/conf.d/sites.conf", "server {\n    listen 443 ssl;\n    ssl_certificate /etc/letsencrypt/live/a.org/fullchain.pem;\n}\nserver {\n    listen 443 ssl;\n    ssl_certificate /etc/letsencrypt/live/c.org/fullchain.pem;\n}\n");

        var found = ServerRepo.Of(r.Lint(), RuleIds.StaplingOff);

        Assert.HasCount(2, found);
        StringAssert.Contains(found[0].Message, "'$d (not issued yet");
        StringAssert.Contains(found[1].Message, "'c.org (not issued yet");
    }

    [TestMethod]
    public void ModMdManagedDomainWithMustStaple_WithoutMdStapling_GetsTheApacheVerdict()
    {
        using var r = new ServerRepo().File("apache2/apache2.conf",
            "MDomain md.example.org\nMDMustStaple on\nMDCertificateAuthority https://acme.example.net/dir\n<VirtualHost *:443>\n    ServerName md.example.org\n    SSLEngine on\n</VirtualHost>\n");

        var result = r.Lint();

        var d = ServerRepo.Of(result, RuleIds.StaplingOff).Single();
        r.AssertAt(d, "apache2/apache2.conf", "<VirtualHost");
        r.AssertAt(ServerRepo.Of(result, RuleIds.MustStapleCertificateRequested).Single(), "apache2/apache2.conf", "MDMustStaple");
    }

    [TestMethod]
    public void AcmeShInstallCertTarget_AndLegoCertificatesFolder_AreMatched()
    {
        using var r = new ServerRepo()
            .File("ops/issue.sh", "acme.sh --issue -d sh.example.org --ocsp-must-staple\nacme.sh --install-cert -d sh.example.org --fullchain-file /etc/nginx/ssl/sh.pem --key-file /etc/nginx/ssl/sh.key\n"
                + "lego --email a@example.org -d lego.example.org --must-staple run\n")
            .File("nginx/conf.d/sites.conf", "server {\n    listen 443 ssl;\n    ssl_certificate /etc/nginx/ssl/sh.pem;\n}\nserver {\n    listen 443 ssl;\n    ssl_certificate /srv/.lego/certificates/lego.example.org.crt;\n}\n");

        var found = ServerRepo.Of(r.Lint(), RuleIds.StaplingOff);

        Assert.HasCount(2, found);
        StringAssert.Contains(found[0].Message, "acme.sh --ocsp-must-staple");
        StringAssert.Contains(found[1].Message, "lego --must-staple");
    }
}

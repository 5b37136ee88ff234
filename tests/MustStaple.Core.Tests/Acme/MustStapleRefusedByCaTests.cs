using MustStaple.Core.Tests.Servers;
using MustStaple.Rules;

namespace MustStaple.Core.Tests.Acme;

[TestClass]
public sealed class MustStapleRefusedByCaTests
{
    private static readonly string[] EveryClient = ["Caddy", "Posh-ACME", "acme.sh", "certbot", "certbot", "certbot", "dehydrated", "lego", "mod_md", "win-acme"];

    [TestMethod]
    public void CertbotMustStaple_DefaultServer_ReportsMst5001OnTheFlag()
    {
        // arrange: the shape of the repository in issue 20 — a deploy script without extension or shebang
        using var r = new ServerRepo().File("scripts/get-certs",
            "set -e\nfor d in a.example.org b.example.org; do\n  certbot certonly --webroot -w /var/www \\\n    -d \"$d\" --must-staple\ndone\n");

        // act
        var d = ServerRepo.Of(r.Lint(), RuleIds.MustStapleRefusedByCa).Single();

        // assert
        r.AssertAt(d, "scripts/get-certs", "--must-staple");
        Assert.AreEqual(Diagnostics.Severity.Error, d.Severity);
        Assert.AreEqual(d.Location.Column + "--must-staple".Length, d.Location.EndColumn);
        StringAssert.Contains(d.Message, "since 2025-05-07");
        StringAssert.Contains(d.Message, "Remove '--must-staple', then reissue");
    }

    [TestMethod]
    public void OneErrorPerRequest_ScriptsRenewalConfsAndCliIni()
    {
        using var r = new ServerRepo()
            .File("deploy.sh", "#!/bin/sh\ncertbot certonly -d a.example.org --must-staple\ncertbot certonly --staging -d b.example.org --must-staple\n")
            .File("letsencrypt/renewal/c.example.org.conf", "cert = /etc/letsencrypt/live/c.example.org/cert.pem\n[renewalparams]\nmust_staple = True\nserver = https://acme-v02.api.letsencrypt.org/directory\n")
            .File("letsencrypt/cli.ini", "# defaults\nmust-staple = true\n");

        var found = ServerRepo.Of(r.Lint(), RuleIds.MustStapleRefusedByCa);

        Assert.HasCount(4, found, string.Join("\n", found.Select(f => f.Message)));
        r.AssertAt(found.Single(f => f.Location.Path.EndsWith(".conf", StringComparison.Ordinal)), "letsencrypt/renewal/c.example.org.conf", "must_staple");
        r.AssertAt(found.Single(f => f.Location.Path.EndsWith("cli.ini", StringComparison.Ordinal)), "letsencrypt/cli.ini", "must-staple");
        StringAssert.Contains(found.Single(f => f.Location.Line == 3 && f.Location.Path.EndsWith("deploy.sh", StringComparison.Ordinal)).Message, "Let's Encrypt (staging)");
    }

    [TestMethod]
    public void EveryClientsSwitch_TowardsLetsEncrypt_IsAnError()
    {
        using var r = new ServerRepo()
            .File(".github/workflows/renew.yml", "jobs:\n  renew:\n    steps:\n      - run: |\n          certbot renew\n          sudo certbot certonly --test-cert --must-staple -d ci.example.org\n")
            .File("Dockerfile", "FROM certbot/certbot\nCMD [\"certonly\", \"--standalone\", \"--must-staple\", \"-d\", \"docker.example.org\"]\n")
            .File("docker-compose.yml", "services:\n  certbot:\n    image: certbot/certbot\n    command: renew\n  lego:\n    image: goacme/lego\n    command:\n      - --must-staple\n      - -d\n      - lego.example.org\n      - run\n  web:\n    image: nginx\n    command: certbot-free\n")
            .File("ops/certbot.service", "[Service]\nExecStart=/usr/bin/certbot -q renew --must-staple\n")
            .File("ops/acme.sh", "acme.sh --issue --server letsencrypt -d le.example.org --ocsp\n")
            .File("ops/issue.ps1", "Set-PAServer LE_PROD\nNew-PACertificate 'ps.example.org' -AcceptTOS `\n    -OCSPMustStaple\nwacs.exe --target manual --host win.example.org --ocsp-must-staple\n")
            .File("apache2/apache2.conf", "MDomain md.example.org\nMDMustStaple on\n")
            .File("caddy.json", "{\"apps\": {\"tls\": {\"automation\": {\"policies\": [{\"subjects\": [\"c.example.org\"], \"must_staple\": true}]}}}}\n")
            .File("dehydrated/config", "CA=\"letsencrypt\"\nOCSP_MUST_STAPLE=\"yes\"\n");

        var clients = ServerRepo.Of(r.Lint(), RuleIds.MustStapleRefusedByCa).Select(d => d.Message.Split(' ')[0]).OrderBy(c => c, StringComparer.Ordinal).ToList();

        CollectionAssert.AreEqual(EveryClient, clients, string.Join(",", clients));
    }

    [TestMethod]
    public void WithoutTheSwitch_TheRunIsClean()
    {
        using var r = new ServerRepo()
            .File("scripts/get-certs", "certbot certonly --webroot -w /var/www -d a.example.org\nacme.sh --issue -d a.example.org --ocsp-stapling-is-not-a-switch\n")
            .File("letsencrypt/renewal/a.example.org.conf", "[renewalparams]\nmust_staple = False\n")
            .File("nginx/nginx.conf", ServerRepo.NginxMain("        ssl_certificate /etc/letsencrypt/live/a.example.org/fullchain.pem;"));

        var result = r.Lint();

        Assert.IsEmpty(result.Diagnostics, string.Join("\n", r.Lines(result)));
    }
}

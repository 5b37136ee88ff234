using MustStaple.Rules;

namespace MustStaple.Core.Tests.Servers;

[TestClass]
public sealed class CaddyVerdictTests
{
    private const string Site = "example.com:443 {\n    tls /etc/caddy/certs/site.pem /etc/caddy/certs/key.pem\n    reverse_proxy app:8080\n}\n";

    [TestMethod]
    public void C03_OcspStaplingOff_ReportsMst4001OnTheOption()
    {
        using var r = new ServerRepo().Pem("caddy/certs/site.pem", ServerRepo.Leaf, ServerRepo.Intermediate)
            .File("caddy/Caddyfile", "# global options\n{\n    ocsp_stapling off\n}\n\n" + Site);

        var result = r.Lint();

        var d = result.Diagnostics.Single();
        Assert.AreEqual(RuleIds.StaplingOff, d.Id, string.Join("\n", r.Lines(result)));
        r.AssertAt(d, "caddy/Caddyfile", "ocsp_stapling off");
        Assert.AreEqual(r.Path("caddy/Caddyfile"), d.RelatedLocations[0].Path, "the tls line is related");
    }

    [TestMethod]
    public void C01n_DefaultStapling_FullChain_IsSilent()
    {
        using var r = new ServerRepo().Pem("caddy/certs/site.pem", ServerRepo.Leaf, ServerRepo.Intermediate)
            .File("caddy/Caddyfile", "{\n    admin off\n}\n" + Site);

        var result = r.Lint();

        Assert.IsEmpty(result.Diagnostics, string.Join("\n", r.Lines(result)));
    }

    [TestMethod]
    public void C06_LeafOnlyWithoutCaIssuers_ReportsMst4002_C02n_WithCaIssuers_IsSilent()
    {
        using var without = new ServerRepo().Pem("caddy/certs/site.pem", ServerRepo.Leaf).File("caddy/Caddyfile", Site);
        using var with = new ServerRepo().Pem("caddy/certs/site.pem", ServerRepo.LeafWithCaIssuers).File("caddy/Caddyfile", Site);

        var d = ServerRepo.Of(without.Lint(), RuleIds.StaplingIssuerNotFound).Single();
        var clean = with.Lint();

        without.AssertAt(d, "caddy/Caddyfile", "/etc/caddy/certs/site.pem");
        Assert.IsEmpty(ServerRepo.Of(clean, RuleIds.StaplingIssuerNotFound), string.Join("\n", with.Lines(clean)));
    }

    [TestMethod]
    public void BracelessSingleSite_IsRead()
    {
        using var r = new ServerRepo().Pem("Caddyfile.d/site.pem", ServerRepo.Leaf, ServerRepo.Intermediate)
            .File("Caddyfile", "{\n  ocsp_stapling off\n}\nlocalhost:8443\ntls Caddyfile.d/site.pem Caddyfile.d/key.pem\nrespond \"ok\"\n");

        var d = ServerRepo.Of(r.Lint(), RuleIds.StaplingOff).Single();

        r.AssertAt(d, "Caddyfile", "ocsp_stapling off");
    }

    [TestMethod]
    public void CaddyJson_DisableOcspStapling_ReportsMst4001OnThatValue_AndFalseIsSilent()
    {
        const string json = """
            {
              // comments are accepted
              "apps": {
                "tls": {
                  "certificates": { "load_files": [ { "certificate": "/etc/caddy/site.pem", "key": "/etc/caddy/key.pem" } ] },
                  "disable_ocsp_stapling": true,
                },
              },
            }
            """;
        using var r = new ServerRepo().Pem("caddy/site.pem", ServerRepo.Leaf, ServerRepo.Intermediate).File("caddy/caddy.json", json);
        using var on = new ServerRepo().Pem("caddy/site.pem", ServerRepo.Leaf, ServerRepo.Intermediate).File("caddy/caddy.json", json.Replace("true", "false"));

        var d = ServerRepo.Of(r.Lint(), RuleIds.StaplingOff).Single();
        var clean = on.Lint();

        r.AssertAt(d, "caddy/caddy.json", "true");
        Assert.AreEqual((5, 58), (d.RelatedLocations[0].Line, d.RelatedLocations[0].Column), "the certificate value");
        Assert.IsEmpty(clean.Diagnostics, string.Join("\n", on.Lines(clean)));
    }
}

using MustStaple.Rules;

namespace MustStaple.Core.Tests.Servers;

/// <summary>Apache in the Debian layout: apache2.conf including sites-enabled/*.conf, paths under /etc/apache2/.</summary>
internal static class ApacheLayout
{
    public static ServerRepo Repo(string site, string global = "SSLStaplingCache shmcb:${APACHE_RUN_DIR}/ssl_stapling(32768)", bool leafOnly = false)
    {
        var r = new ServerRepo().Pem("apache2/ssl/site.pem", leafOnly ? [ServerRepo.Leaf] : [ServerRepo.Leaf, ServerRepo.Intermediate])
            .File("apache2/apache2.conf", $"ServerRoot \"/etc/apache2\"\n<IfModule mod_ssl.c>\n    {global}\n</IfModule>\nIncludeOptional sites-enabled/*.conf\n")
            .File("apache2/sites-enabled/site.conf", "<VirtualHost *:443>\n    ServerName localhost\n    SSLEngine on\n    SSLCertificateFile /etc/apache2/ssl/site.pem\n    SSLCertificateKeyFile \\\n        /etc/apache2/ssl/site.key\n" + site + "</VirtualHost>\n");
        return r;
    }
}

[TestClass]
public sealed class ApacheStaplingCacheMissingTests
{
    [TestMethod]
    public void A03_SslUseStaplingWithoutCache_ReportsMst4003OnTheDirective()
    {
        using var r = ApacheLayout.Repo("    SSLUseStapling on\n", global: "SSLProtocol -all +TLSv1.2");

        var result = r.Lint();

        var d = ServerRepo.Of(result, RuleIds.ApacheStaplingCacheMissing).Single();
        r.AssertAt(d, "apache2/sites-enabled/site.conf", "SSLUseStapling on");
        Assert.IsEmpty(ServerRepo.Of(result, RuleIds.ApacheFakeTryLater), "Apache does not start: no note about run-time behaviour");
    }

    [TestMethod]
    public void A02_SslUseStaplingWithCache_ReportsNoError()
    {
        using var r = ApacheLayout.Repo("    SSLUseStapling on\n");

        var result = r.Lint();

        Assert.IsFalse(result.Diagnostics.Any(d => d.Severity >= Diagnostics.Severity.Warning), string.Join("\n", r.Lines(result)));
    }

    [TestMethod]
    public void LoneSiteFile_WithoutMainConfig_DoesNotGuessTheCache()
    {
        using var r = new ServerRepo().Pem("apache2/site.pem", ServerRepo.Leaf, ServerRepo.Intermediate)
            .File("apache2/sites-available/site.conf", "<VirtualHost *:443>\n    SSLEngine on\n    SSLUseStapling on\n    SSLCertificateFile /etc/apache2/site.pem\n</VirtualHost>\n");

        var result = r.Lint();

        Assert.IsEmpty(ServerRepo.Of(result, RuleIds.ApacheStaplingCacheMissing), string.Join("\n", r.Lines(result)));
        Assert.HasCount(1, ServerRepo.Of(result, RuleIds.ApacheFakeTryLater), string.Join("\n", r.Lines(result)));
    }
}

[TestClass]
public sealed class ApacheFakeTryLaterTests
{
    [TestMethod]
    public void A04_Defaults_ReportsMst4007NoteOnSslUseStapling()
    {
        using var r = ApacheLayout.Repo("    SSLUseStapling on\n");

        var d = ServerRepo.Of(r.Lint(), RuleIds.ApacheFakeTryLater).Single();

        r.AssertAt(d, "apache2/sites-enabled/site.conf", "SSLUseStapling on");
        Assert.AreEqual(Diagnostics.Severity.Note, d.Severity);
    }

    [TestMethod]
    public void A07_FakeTryLaterOff_IsSilent()
    {
        using var r = ApacheLayout.Repo("    SSLUseStapling on\n    SSLStaplingFakeTryLater off\n");

        Assert.IsEmpty(r.Lint().Diagnostics);
    }
}

[TestClass]
public sealed class ApacheVerdictTests
{
    [TestMethod]
    public void A01_NoSslUseStapling_ReportsMst4001OnTheCertificateLine()
    {
        using var r = ApacheLayout.Repo("");

        var result = r.Lint();

        var d = result.Diagnostics.Single();
        Assert.AreEqual(RuleIds.StaplingOff, d.Id, string.Join("\n", r.Lines(result)));
        r.AssertAt(d, "apache2/sites-enabled/site.conf", "/etc/apache2/ssl/site.pem");
        StringAssert.Contains(d.Message, "SSLUseStapling on");
    }

    [TestMethod]
    public void A09_LeafOnlyWithoutChainFile_ReportsMst4002()
    {
        using var r = ApacheLayout.Repo("    SSLUseStapling on\n", leafOnly: true);

        var d = ServerRepo.Of(r.Lint(), RuleIds.StaplingIssuerNotFound).Single();

        r.AssertAt(d, "apache2/sites-enabled/site.conf", "/etc/apache2/ssl/site.pem");
        StringAssert.Contains(d.Message, "AH02217");
    }

    [TestMethod]
    public void A09b_LeafOnlyWithChainFile_IsSilentForMst4002()
    {
        using var r = ApacheLayout.Repo("    SSLUseStapling on\n    SSLCertificateChainFile ssl/chain.pem\n", leafOnly: true).Pem("apache2/ssl/chain.pem", ServerRepo.Intermediate);

        var result = r.Lint();

        Assert.IsEmpty(ServerRepo.Of(result, RuleIds.StaplingIssuerNotFound), string.Join("\n", r.Lines(result)));
    }

    [TestMethod]
    public void M02_MdMustStapleWithoutMdStapling_ReportsMst4001_M03_MdStaplingOn_IsSilent()
    {
        using var off = new ServerRepo().Pem("apache2/md/site.pem", ServerRepo.Leaf, ServerRepo.Intermediate)
            .File("apache2/apache2.conf", "<MDomain localhost>\n    MDMustStaple on\n    MDCertificateFile md/site.pem\n</MDomain>\n<VirtualHost *:443>\n    ServerName localhost\n    SSLEngine on\n</VirtualHost>\n");
        using var on = new ServerRepo().Pem("apache2/md/site.pem", ServerRepo.Leaf, ServerRepo.Intermediate)
            .File("apache2/apache2.conf", "<MDomain localhost>\n    MDStapling on\n    MDCertificateFile md/site.pem\n</MDomain>\n<VirtualHost *:443>\n    ServerName localhost\n    SSLEngine on\n</VirtualHost>\n");

        var d = ServerRepo.Of(off.Lint(), RuleIds.StaplingOff).Single();
        var clean = on.Lint();

        off.AssertAt(d, "apache2/apache2.conf", "md/site.pem");
        Assert.IsEmpty(clean.Diagnostics, string.Join("\n", on.Lines(clean)));
    }
}

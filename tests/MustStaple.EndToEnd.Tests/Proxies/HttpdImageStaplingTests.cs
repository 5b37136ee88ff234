using MustStaple.Testing;

namespace MustStaple.EndToEnd.Tests.Proxies;

/// <summary>
/// Issue 19's httpd-image repository on a real Apache 2.4: the lint reads the repository (Dockerfile COPYing httpd.conf,
/// site.conf and certs/ under /usr/local/apache2); Apache runs the files where those COPYs put them, in a folder that
/// stands for /usr/local/apache2 (only the ServerRoot line differs), so Include conf/extra/site.conf and certs/site.pem
/// resolve against ServerRoot for both. gnutls-cli is the must-staple-enforcing client.
/// </summary>
[TestClass]
public sealed class HttpdImageStaplingTests
{
    private const string Modules = "/usr/lib/apache2/modules";
    private const string Cache = "SSLStaplingCache shmcb:logs/ssl_stapling(32768)";
    private static OcspResponder _responder = null!;
    private static TestCertificate _root = null!;
    private static TestCertificate _intermediate = null!;
    private static TestCertificate _leaf = null!;

    [ClassInitialize]
    public static async Task StartResponder(TestContext _)
    {
        _responder = await OcspResponder.StartAsync();
        _root = new CertificateBuilder("Httpd Image Test Root").AsCa().Build();
        _intermediate = new CertificateBuilder("Httpd Image Test Issuing CA").AsCa().IssuedBy(_root).Build();
        _responder.Issuer = _intermediate;
        _leaf = new CertificateBuilder("localhost").MustStaple().Ocsp(_responder.Url).DnsNames("localhost", "127.0.0.1").IssuedBy(_intermediate).Build();
    }

    [ClassCleanup]
    public static async Task StopResponder() => await _responder.DisposeAsync();

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void NoSslUseStapling_GnutlsRefused_AndLintReportsMst4001OnSiteConf()
    {
        using var h = Image(out var port, site: "", global: Cache, leafOnly: false, start: true);

        var (ok, _, output) = ProxyHarness.GnutlsPoll(port, h.Root + "/root.pem", attempts: 3);
        var lint = Lint(h);

        Assert.IsFalse(ok, output);
        Assert.AreEqual("MST4001 site.conf", Errors(lint).Single(), ProxyHarness.Describe(lint));
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void StaplingWithoutCache_ApacheExits_AndLintReportsMst4003OnSiteConf()
    {
        using var h = Image(out _, site: "SSLUseStapling on", global: "", leafOnly: false, start: false);
        var apache = ProxyHarness.Require("apache2");

        var (start, _) = ProxyHarness.Run(apache, ["-f", h.Root + "/image/conf/httpd.conf", "-DFOREGROUND"], timeoutSeconds: 20);
        var log = File.ReadAllText(h.Root + "/image/logs/error_log");
        var lint = Lint(h);

        Assert.AreNotEqual(0, start, log);
        StringAssert.Contains(log, "AH01958", log);
        Assert.AreEqual("MST4003 site.conf", Errors(lint).Single(), ProxyHarness.Describe(lint));
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void LeafOnly_NeverStapled_AndLintReportsMst4002OnSiteConf()
    {
        using var h = Image(out var port, site: "SSLUseStapling on", global: Cache, leafOnly: true, start: true);

        var (ok, _, output) = ProxyHarness.GnutlsPoll(port, h.Root + "/root.pem", attempts: 3);
        var lint = Lint(h);

        Assert.IsFalse(ok, output);
        Assert.AreEqual("MST4002 site.conf", Errors(lint).Single(), ProxyHarness.Describe(lint));
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void StaplingWithCacheAndFullChain_GnutlsConnects_AndLintHasNoError()
    {
        using var h = Image(out var port, site: "SSLUseStapling on", global: Cache, leafOnly: false, start: true);

        var (ok, output) = ProxyHarness.Gnutls(port, h.Root + "/root.pem");
        var lint = Lint(h);

        Assert.IsTrue(ok, output);
        Assert.IsEmpty(Errors(lint), ProxyHarness.Describe(lint));
        Assert.IsFalse(lint.Diagnostics.Any(d => d.Id == "MST0001"), ProxyHarness.Describe(lint));
    }

    private static List<string> Errors(LintResult lint) =>
        lint.Diagnostics.Where(d => d.Severity == Diagnostics.Severity.Error).Select(d => $"{d.Id} {Path.GetFileName(d.Location.Path)}").ToList();

    private static LintResult Lint(ProxyHarness h) =>
        LintEngine.Run(new LintRequest { Paths = [h.Root + "/repo"], Now = DateTimeOffset.UtcNow, SourceRoot = h.Root + "/repo" });

    // repo/: what the user commits. image/: what the Dockerfile's COPYs give /usr/local/apache2 (plus the Debian modules).
    private static ProxyHarness Image(out int port, string site, string global, bool leafOnly, bool start)
    {
        ProxyHarness.Require("apache2");
        ProxyHarness.Require("gnutls-cli");
        if (!File.Exists(Modules + "/mod_ssl.so")) throw new AssertInconclusiveException("mod_ssl is not installed");
        var h = new ProxyHarness();
        try
        {
            var listen = ProxyHarness.FreePort();
            port = listen;
            var user = Environment.UserName == "root" ? "User www-data\nGroup www-data\n" : "";
            string HttpdConf(string serverRoot) => $"""
                ServerRoot "{serverRoot}"
                ServerName localhost
                Listen 127.0.0.1:{listen}
                PidFile logs/httpd.pid
                DefaultRuntimeDir logs
                Mutex file:logs default
                ErrorLog logs/error_log
                LogLevel warn ssl:info
                {user}LoadModule mpm_event_module modules/mod_mpm_event.so
                LoadModule authz_core_module modules/mod_authz_core.so
                LoadModule socache_shmcb_module modules/mod_socache_shmcb.so
                LoadModule ssl_module modules/mod_ssl.so
                {global}
                Include conf/extra/site.conf

                """;
            var siteConf = $"<VirtualHost 127.0.0.1:{listen}>\n    ServerName localhost\n    SSLEngine on\n    SSLCertificateFile certs/site.pem\n    SSLCertificateKeyFile certs/site.key\n    {site}\n</VirtualHost>\n";
            var chain = leafOnly ? _leaf.Pem : TestCertificate.PemChain(_leaf, _intermediate);
            h.Write("root.pem", _root.Pem);
            h.Write("repo/Dockerfile", "FROM httpd:2.4\nCOPY httpd.conf /usr/local/apache2/conf/httpd.conf\nCOPY site.conf  /usr/local/apache2/conf/extra/site.conf\nCOPY certs/     /usr/local/apache2/certs/\n");
            h.Write("repo/httpd.conf", HttpdConf("/usr/local/apache2"));
            h.Write("repo/site.conf", siteConf);
            h.Write("repo/certs/site.pem", chain);
            h.Write("repo/certs/site.key", _leaf.KeyPem);
            var image = h.Root + "/image";
            h.Write("image/conf/httpd.conf", HttpdConf(image));
            h.Write("image/conf/extra/site.conf", siteConf);
            h.Write("image/certs/site.pem", chain);
            h.Write("image/certs/site.key", _leaf.KeyPem);
            Directory.CreateDirectory(image + "/logs");
            File.CreateSymbolicLink(image + "/modules", Modules);
            if (start)
            {
                var apache = ProxyHarness.Require("apache2");
                var (code, output) = ProxyHarness.Run(apache, ["-t", "-f", image + "/conf/httpd.conf"]);
                Assert.AreEqual(0, code, "apache2 -t: " + output);
                h.StartServer(apache, ["-f", image + "/conf/httpd.conf", "-DFOREGROUND"], listen,
                    () => File.Exists(image + "/logs/error_log") ? File.ReadAllText(image + "/logs/error_log") : "");
            }
            return h;
        }
        catch
        {
            h.Dispose();
            throw;
        }
    }
}

using MustStaple.EndToEnd.Tests.Probe;
using MustStaple.Testing;

namespace MustStaple.EndToEnd.Tests.Proxies;

/// <summary>
/// Proves the Apache verdicts on a real Apache 2.4 (apt's apache2, mod_ssl) started with the config the lint reads, a
/// BouncyCastle OCSP responder on 127.0.0.1 and gnutls-cli as the must-staple-enforcing client (docs/evidence/apache.md A01,
/// A02, A03, A09).
/// </summary>
[TestClass]
public sealed class ApacheStaplingTests
{
    private const string Modules = "/usr/lib/apache2/modules";
    private static OcspResponder _responder = null!;
    private static TestCertificate _root = null!;
    private static TestCertificate _intermediate = null!;
    private static TestCertificate _leaf = null!;

    [ClassInitialize]
    public static async Task StartResponder(TestContext _)
    {
        _responder = await OcspResponder.StartAsync();
        _root = new CertificateBuilder("Apache Test Root").AsCa().Build();
        _intermediate = new CertificateBuilder("Apache Test Issuing CA").AsCa().IssuedBy(_root).Build();
        _responder.Issuer = _intermediate;
        _leaf = new CertificateBuilder("localhost").MustStaple().Ocsp(_responder.Url).DnsNames("localhost", "127.0.0.1").IssuedBy(_intermediate).Build();
    }

    [ClassCleanup]
    public static async Task StopResponder() => await _responder.DisposeAsync();

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void A01_NoSslUseStapling_GnutlsRefused_AndLintReportsMst4001()
    {
        using var h = Apache(out var port, site: "", global: "");

        var (ok, _, output) = ProxyHarness.GnutlsPoll(port, h.Root + "/root.pem", attempts: 3);
        var probe = LiveProbe.Verdicts(port);
        var lint = h.Lint();

        Assert.IsFalse(ok, output);
        Assert.AreEqual("MST6001", probe, "the probe refuses it as gnutls-cli does");
        Assert.AreEqual("MST4001", Errors(lint).Single(), ProxyHarness.Describe(lint));
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void A02_SslUseStaplingWithCache_GnutlsConnectsFirstHandshake_AndLintHasNoError()
    {
        using var h = Apache(out var port, site: "SSLUseStapling on", global: Cache);

        var (ok, output) = ProxyHarness.Gnutls(port, h.Root + "/root.pem");
        var probe = LiveProbe.Verdicts(port);
        var lint = h.Lint();

        Assert.IsTrue(ok, output);
        Assert.AreEqual("", probe, "the probe accepts it as gnutls-cli does");
        Assert.IsEmpty(Errors(lint), ProxyHarness.Describe(lint));
        Assert.AreEqual("MST4007", lint.Diagnostics.Single().Id, ProxyHarness.Describe(lint));
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void A03_SslUseStaplingWithoutCache_SyntaxOkButApacheExits_AndLintReportsMst4003()
    {
        using var h = Write(out _, site: "SSLUseStapling on", global: "", leafOnly: false);
        var apache = ProxyHarness.Require("apache2");

        var (test, testOutput) = ProxyHarness.Run(apache, ["-t", "-f", h.Root + "/apache2.conf"]);
        var (start, _) = ProxyHarness.Run(apache, ["-f", h.Root + "/apache2.conf", "-DFOREGROUND"], timeoutSeconds: 20);
        var log = File.ReadAllText(h.Root + "/error.log");
        var lint = h.Lint();

        Assert.AreEqual(0, test, testOutput);
        Assert.AreNotEqual(0, start, log);
        StringAssert.Contains(log, "AH01958", log);
        Assert.AreEqual("MST4003", Errors(lint).Single(), ProxyHarness.Describe(lint));
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void A09_LeafOnly_NeverStapled_AndLintReportsMst4002()
    {
        using var h = Apache(out var port, site: "SSLUseStapling on", global: Cache, leafOnly: true);

        var (ok, _, output) = ProxyHarness.GnutlsPoll(port, h.Root + "/root.pem", attempts: 3);
        var lint = h.Lint();

        Assert.IsFalse(ok, output);
        Assert.AreEqual("MST4002", Errors(lint).Single(), ProxyHarness.Describe(lint));
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void A04_ResponderDown_ApacheStaplesAFakeTryLater_GnutlsRefused_AndLintNotesMst4007()
    {
        var deadPort = ProxyHarness.FreePort(); // nothing listens there: the responder is down
        var leaf = new CertificateBuilder("localhost").MustStaple().Ocsp($"http://127.0.0.1:{deadPort}/ocsp").DnsNames("localhost", "127.0.0.1")
            .IssuedBy(_intermediate).Build();
        using var h = Apache(out var port, site: "SSLUseStapling on", global: Cache, leaf: leaf);

        var stapled = StapleProbe.Handshake(port);
        var (ok, output) = ProxyHarness.Gnutls(port, h.Root + "/root.pem");
        var probe = LiveProbe.Run(port);
        var log = File.ReadAllText(h.Root + "/error.log");
        var lint = h.Lint();

        Assert.IsTrue(stapled, "Apache staples its made-up tryLater response: " + log);
        Assert.IsFalse(ok, output);
        Assert.AreEqual("MST6002", LiveProbe.Verdicts(probe), "the probe refuses it as gnutls-cli does: " + LiveProbe.Describe(probe));
        StringAssert.Contains(probe.Diagnostics.Single().Message, "tryLater");
        StringAssert.Contains(log, "AH01974", log);
        Assert.AreEqual("MST4007", lint.Diagnostics.Single().Id, ProxyHarness.Describe(lint));
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    [DataRow("MDMustStaple on", false)]
    [DataRow("MDStapling on", true)]
    public void M02_M03_ModMdStaticCertificate_StaplesOnlyWithMdStapling_AndLintAgrees(string setting, bool staples)
    {
        var apache = ProxyHarness.Require("apache2");
        if (!File.Exists(Modules + "/mod_md.so")) Assert.Inconclusive("mod_md is not installed");
        var h = Write(out var port, site: "", global: "", leafOnly: false, leaf: null, md: setting);
        using var _ = h;
        var (code, testOutput) = ProxyHarness.Run(apache, ["-t", "-f", h.Root + "/apache2.conf"]);
        Assert.AreEqual(0, code, "apache2 -t: " + testOutput);
        h.StartServer(apache, ["-f", h.Root + "/apache2.conf", "-DFOREGROUND"], port,
            () => File.Exists(h.Root + "/error.log") ? File.ReadAllText(h.Root + "/error.log") : "");

        var (ok, _, output) = ProxyHarness.GnutlsPoll(port, h.Root + "/root.pem", attempts: staples ? 6 : 3);
        var lint = h.Lint();

        Assert.AreEqual(staples, ok, output + File.ReadAllText(h.Root + "/error.log"));
        if (staples) Assert.IsEmpty(Errors(lint), ProxyHarness.Describe(lint));
        else Assert.AreEqual("MST4001", Errors(lint).Single(), ProxyHarness.Describe(lint));
    }

    private const string Cache = "SSLStaplingCache shmcb:run/ssl_stapling(32768)";

    private static List<string> Errors(LintResult lint) =>
        lint.Diagnostics.Where(d => d.Severity == Diagnostics.Severity.Error).Select(d => d.Id).ToList();

    private static ProxyHarness Apache(out int port, string site, string global, bool leafOnly = false, TestCertificate? leaf = null)
    {
        var h = Write(out port, site, global, leafOnly, leaf);
        try
        {
            var apache = ProxyHarness.Require("apache2");
            var (code, output) = ProxyHarness.Run(apache, ["-t", "-f", h.Root + "/apache2.conf"]);
            Assert.AreEqual(0, code, "apache2 -t: " + output);
            var root = h.Root;
            h.StartServer(apache, ["-f", h.Root + "/apache2.conf", "-DFOREGROUND"], port,
                () => File.Exists(root + "/error.log") ? File.ReadAllText(root + "/error.log") : "");
            return h;
        }
        catch
        {
            h.Dispose();
            throw;
        }
    }

    /// <summary>The PKI and apache2.conf: ServerRoot is the folder, so relative paths resolve there for Apache and the lint alike.</summary>
    private static ProxyHarness Write(out int port, string site, string global, bool leafOnly, TestCertificate? leaf = null, string? md = null)
    {
        var served = leaf ?? _leaf;
        ProxyHarness.Require("apache2");
        ProxyHarness.Require("gnutls-cli");
        if (!File.Exists(Modules + "/mod_ssl.so")) throw new AssertInconclusiveException("mod_ssl is not installed");
        var h = new ProxyHarness();
        port = ProxyHarness.FreePort();
        Directory.CreateDirectory(h.Root + "/run");
        h.Write("root.pem", _root.Pem);
        h.Write("site.pem", leafOnly ? served.Pem : TestCertificate.PemChain(served, _intermediate));
        h.Write("key.pem", served.KeyPem);
        var user = Environment.UserName == "root" ? "User www-data\nGroup www-data" : "";
        h.Write("apache2.conf", $"""
            ServerRoot "{h.Root}"
            ServerName localhost
            Listen 127.0.0.1:{port}
            PidFile {h.Root}/run/apache2.pid
            DefaultRuntimeDir {h.Root}/run
            Mutex file:{h.Root}/run default
            ErrorLog {h.Root}/error.log
            LogLevel warn ssl:info
            {user}
            LoadModule mpm_event_module {Modules}/mod_mpm_event.so
            LoadModule authz_core_module {Modules}/mod_authz_core.so
            LoadModule socache_shmcb_module {Modules}/mod_socache_shmcb.so
            LoadModule ssl_module {Modules}/mod_ssl.so
            {global}
            {(md is null ? "" : $"LoadModule md_module {Modules}/mod_md.so\nMDStoreDir {h.Root}/md\nMDCertificateAuthority http://127.0.0.1:9/directory\nMDRenewMode manual\n<MDomain localhost>\n    MDCertificateFile site.pem\n    MDCertificateKeyFile key.pem\n    {md}\n</MDomain>")}
            <VirtualHost 127.0.0.1:{port}>
                ServerName localhost
                SSLEngine on
                {(md is null ? "SSLCertificateFile site.pem\n    SSLCertificateKeyFile key.pem" : "")}
                {site}
            </VirtualHost>

            """);
        return h;
    }
}

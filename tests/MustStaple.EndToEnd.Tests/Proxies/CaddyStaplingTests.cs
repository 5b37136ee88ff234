using MustStaple.EndToEnd.Tests.Probe;
using MustStaple.Testing;

namespace MustStaple.EndToEnd.Tests.Proxies;

/// <summary>
/// Proves the Caddy verdicts on a real Caddy 2.6 (apt's caddy) started with the Caddyfile the lint reads, a BouncyCastle
/// OCSP responder on 127.0.0.1 (responses without embedded certificates, the form Caddy accepts) and gnutls-cli as the
/// must-staple-enforcing client (docs/evidence/caddy.md C01n, C03, C06).
/// </summary>
[TestClass]
public sealed class CaddyStaplingTests
{
    private static OcspResponder _responder = null!;
    private static TestCertificate _root = null!;
    private static TestCertificate _intermediate = null!;
    private static TestCertificate _leaf = null!;

    [ClassInitialize]
    public static async Task StartResponder(TestContext _)
    {
        _responder = await OcspResponder.StartAsync();
        _responder.EmbedCertificates = false;
        _root = new CertificateBuilder("Caddy Test Root").AsCa().Build();
        _intermediate = new CertificateBuilder("Caddy Test Issuing CA").AsCa().IssuedBy(_root).Build();
        _responder.Issuer = _intermediate;
        _leaf = new CertificateBuilder("localhost").MustStaple().Ocsp(_responder.Url).DnsNames("localhost", "127.0.0.1").IssuedBy(_intermediate).Build();
    }

    [ClassCleanup]
    public static async Task StopResponder() => await _responder.DisposeAsync();

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void C01n_DefaultStapling_GnutlsConnects_AndLintIsClean()
    {
        using var h = Caddy(out var port, global: "");

        var (ok, attempts, output) = ProxyHarness.GnutlsPoll(port, h.Root + "/root.pem", attempts: 5);
        var probe = LiveProbe.Verdicts(port);
        var lint = h.Lint();

        Assert.IsTrue(ok, output);
        Assert.AreEqual("", probe, "the probe accepts it as gnutls-cli does");
        Assert.AreEqual(1, attempts, "Caddy fetches at config load and staples from the first handshake");
        Assert.IsEmpty(lint.Diagnostics, ProxyHarness.Describe(lint));
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void C03_OcspStaplingOff_GnutlsRefused_AndLintReportsMst4001()
    {
        using var h = Caddy(out var port, global: "ocsp_stapling off");

        var (ok, _, output) = ProxyHarness.GnutlsPoll(port, h.Root + "/root.pem", attempts: 3);
        var probe = LiveProbe.Verdicts(port);
        var lint = h.Lint();

        Assert.IsFalse(ok, output);
        Assert.AreEqual("MST6001", probe, "the probe refuses it as gnutls-cli does");
        Assert.AreEqual("MST4001", Errors(lint).Single(), ProxyHarness.Describe(lint));
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void C06_LeafOnlyWithoutCaIssuers_CaddyCannotStaple_AndLintReportsMst4002()
    {
        using var h = Caddy(out var port, global: "", leafOnly: true);

        var stapled = StapleProbe.Handshake(port);
        var log = h.ReadLog();
        var lint = h.Lint();

        Assert.IsFalse(stapled, log);
        StringAssert.Contains(log, "stapling OCSP", log);
        Assert.AreEqual("MST4002", Errors(lint).Single(), ProxyHarness.Describe(lint));
    }

    private static List<string> Errors(LintResult lint) =>
        lint.Diagnostics.Where(d => d.Severity == Diagnostics.Severity.Error).Select(d => d.Id).ToList();

    private static ProxyHarness Caddy(out int port, string global, bool leafOnly = false)
    {
        var caddy = ProxyHarness.Require("caddy");
        ProxyHarness.Require("gnutls-cli");
        var h = new ProxyHarness();
        try
        {
            port = ProxyHarness.FreePort();
            h.Write("root.pem", _root.Pem);
            h.Write("site.pem", leafOnly ? _leaf.Pem : TestCertificate.PemChain(_leaf, _intermediate));
            h.Write("key.pem", _leaf.KeyPem);
            var file = h.Write("Caddyfile", $$"""
                {
                    admin off
                    auto_https disable_redirects
                    storage file_system {{h.Root}}/data
                    {{global}}
                }

                https://localhost:{{port}} {
                    bind 127.0.0.1
                    tls {{h.Root}}/site.pem {{h.Root}}/key.pem
                    respond "ok"
                }

                """);
            var env = new Dictionary<string, string> { ["HOME"] = h.Root, ["XDG_DATA_HOME"] = h.Root + "/xdg", ["XDG_CONFIG_HOME"] = h.Root + "/xdg" };
            var (code, output) = ProxyHarness.Run(caddy, ["validate", "--config", file, "--adapter", "caddyfile"], env: env);
            Assert.AreEqual(0, code, "caddy validate: " + output);
            h.StartServer(caddy, ["run", "--config", file, "--adapter", "caddyfile"], port, env: env);
            return h;
        }
        catch
        {
            h.Dispose();
            throw;
        }
    }
}

using MustStaple.EndToEnd.Tests.Probe;
using MustStaple.Testing;

namespace MustStaple.EndToEnd.Tests.Proxies;

/// <summary>
/// Proves the nginx verdicts on a real nginx (apt's nginx, one worker) with the config the lint reads, a BouncyCastle
/// OCSP responder on 127.0.0.1 and gnutls-cli as the must-staple-enforcing client (docs/evidence/nginx.md N01–N10).
/// A lint error must mean gnutls-cli is refused; a clean lint must mean it connects from the first handshake.
/// </summary>
[TestClass]
public sealed class NginxStaplingTests
{
    private static OcspResponder _responder = null!;
    private static TestCertificate _root = null!;
    private static TestCertificate _intermediate = null!;
    private static TestCertificate _leaf = null!;
    private static TestCertificate _other = null!;

    [ClassInitialize]
    public static async Task StartResponder(TestContext _)
    {
        _responder = await OcspResponder.StartAsync();
        _root = new CertificateBuilder("Nginx Test Root").AsCa().Build();
        _intermediate = new CertificateBuilder("Nginx Test Issuing CA").AsCa().IssuedBy(_root).Build();
        _responder.Issuer = _intermediate;
        _leaf = new CertificateBuilder("localhost").MustStaple().Ocsp(_responder.Url).DnsNames("localhost", "127.0.0.1").IssuedBy(_intermediate).Build();
        _other = new CertificateBuilder("other").MustStaple().Ocsp(_responder.Url).IssuedBy(_intermediate).Build();
    }

    [ClassCleanup]
    public static async Task StopResponder() => await _responder.DisposeAsync();

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void N01_NoSslStapling_GnutlsRefused_AndLintReportsMst4001()
    {
        using var h = Nginx(out var port, "");

        var (ok, _, output) = ProxyHarness.GnutlsPoll(port, h.Root + "/root.pem", attempts: 3);
        var probe = LiveProbe.Verdicts(port);
        var lint = h.Lint();

        Assert.IsFalse(ok, output);
        Assert.AreEqual("MST6001", probe, "the probe refuses it as gnutls-cli does");
        Assert.AreEqual("MST4001", Errors(lint).Single(), ProxyHarness.Describe(lint));
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void N08_StaplingFileValid_GnutlsConnectsFirstHandshake_AndLintIsClean()
    {
        using var h = Nginx(out var port, "ssl_stapling on;\n        ssl_stapling_file ocsp.der;",
            stapleFile: OcspResponses.For(_leaf, _intermediate, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1)));

        var (ok, output) = ProxyHarness.Gnutls(port, h.Root + "/root.pem");
        var probe = LiveProbe.Verdicts(port);
        var lint = h.Lint();

        Assert.IsTrue(ok, output);
        Assert.AreEqual("", probe, "the probe accepts it as gnutls-cli does");
        Assert.AreEqual("MST4008", lint.Diagnostics.Single().Id, "only the refresh note: " + ProxyHarness.Describe(lint));
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void N02_StaplingOnWithoutFile_FirstHandshakeRefusedThenConnects_AndLintWarnsMst4006()
    {
        using var h = Nginx(out var port, "ssl_stapling on;");

        var (first, firstOutput) = ProxyHarness.Gnutls(port, h.Root + "/root.pem");
        var (later, attempts, laterOutput) = ProxyHarness.GnutlsPoll(port, h.Root + "/root.pem");
        var lint = h.Lint();

        Assert.IsFalse(first, "the first handshake of the worker is unstapled: " + firstOutput);
        Assert.IsTrue(later, $"never stapled after {attempts} handshakes: {laterOutput}");
        Assert.IsEmpty(Errors(lint), ProxyHarness.Describe(lint));
        Assert.AreEqual("MST4006", lint.Diagnostics.Single().Id, ProxyHarness.Describe(lint));
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void N02_ProbeOfAFreshWorker_FirstHandshakeUnstapledThenStapled_ReportsMst6003()
    {
        using var h = Nginx(out var port, "ssl_stapling on;");

        var probe = LiveProbe.Run(port);
        var (later, output) = ProxyHarness.Gnutls(port, h.Root + "/root.pem");

        Assert.AreEqual("MST6003", LiveProbe.Verdicts(probe), "N02: gnutls-cli is refused on the worker's first handshake only: " + LiveProbe.Describe(probe));
        StringAssert.Contains(probe.Diagnostics.Single().Message, "on handshakes 2 and 3 but not on handshake 1");
        Assert.IsTrue(later, output);
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void N03_LeafOnlyStaplingOn_NeverStapled_AndLintReportsMst4002()
    {
        using var h = Nginx(out var port, "ssl_stapling on;", leafOnly: true);

        var (ok, _, output) = ProxyHarness.GnutlsPoll(port, h.Root + "/root.pem", attempts: 5);
        var probe = LiveProbe.Verdicts(port, trustPem: _intermediate.Pem);
        var lint = h.Lint();

        Assert.IsFalse(ok, output);
        Assert.AreEqual("MST6001", probe);
        Assert.AreEqual(0, _responder.Requests - _requestsBefore, "nginx gave up without fetching");
        Assert.AreEqual("MST4002", Errors(lint).Single(), ProxyHarness.Describe(lint));
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    [DataRow("expired")]
    [DataRow("other")]
    public void N09_N10_BadStaplingFile_ServedAnyway_GnutlsRefused_AndLintReportsMst4005(string kind)
    {
        var now = DateTimeOffset.UtcNow;
        var staple = kind == "expired"
            ? OcspResponses.For(_leaf, _intermediate, now.AddDays(-2), now.AddDays(-1))
            : OcspResponses.For(_other, _intermediate, now.AddHours(-1), now.AddDays(1));
        using var h = Nginx(out var port, "ssl_stapling on;\n        ssl_stapling_file ocsp.der;", stapleFile: staple);

        var stapled = StapleProbe.Handshake(port);
        var (ok, _, output) = ProxyHarness.GnutlsPoll(port, h.Root + "/root.pem", attempts: 3);
        var probe = LiveProbe.Verdicts(port);
        var lint = h.Lint();

        Assert.IsTrue(stapled || kind == "other", "nginx serves the expired file as it is");
        Assert.IsFalse(ok, output);
        Assert.AreEqual(stapled ? "MST6002" : "MST6001", probe, "the probe refuses it as gnutls-cli does");
        Assert.AreEqual("MST4005", Errors(lint).Single(), ProxyHarness.Describe(lint));
    }

    private static int _requestsBefore;

    private static List<string> Errors(LintResult lint) =>
        lint.Diagnostics.Where(d => d.Severity == Diagnostics.Severity.Error).Select(d => d.Id).ToList();

    /// <summary>Writes the PKI and nginx.conf (relative paths, as the lint resolves them), checks it with nginx -t, starts nginx.</summary>
    private static ProxyHarness Nginx(out int port, string stapling, byte[]? stapleFile = null, bool leafOnly = false)
    {
        var nginx = ProxyHarness.Require("nginx");
        ProxyHarness.Require("gnutls-cli");
        var h = new ProxyHarness();
        try
        {
            port = ProxyHarness.FreePort();
            h.Write("root.pem", _root.Pem);
            h.Write("chain.pem", leafOnly ? _leaf.Pem : TestCertificate.PemChain(_leaf, _intermediate));
            h.Write("key.pem", _leaf.KeyPem);
            if (stapleFile is not null) h.Write("ocsp.der", stapleFile);
            Directory.CreateDirectory(Path.Combine(h.Root, "tmp"));
            var conf = h.Write("nginx.conf", $$"""
                daemon off;
                worker_processes 1;
                pid {{h.Root}}/nginx.pid;
                error_log {{h.Root}}/error.log info;
                events { worker_connections 64; }
                http {
                    access_log off;
                    client_body_temp_path {{h.Root}}/tmp/body;
                    proxy_temp_path {{h.Root}}/tmp/proxy;
                    fastcgi_temp_path {{h.Root}}/tmp/fastcgi;
                    uwsgi_temp_path {{h.Root}}/tmp/uwsgi;
                    scgi_temp_path {{h.Root}}/tmp/scgi;
                    server {
                        listen 127.0.0.1:{{port}} ssl;
                        server_name localhost;
                        ssl_certificate chain.pem;
                        ssl_certificate_key key.pem;
                        {{stapling}}
                        location / { return 200 "ok\n"; }
                    }
                }
                """);
            var args = new[] { "-p", h.Root, "-c", conf, "-e", h.Root + "/error.log" };
            var (code, output) = ProxyHarness.Run(nginx, args.Append("-t"));
            Assert.AreEqual(0, code, "nginx -t: " + output);
            _requestsBefore = _responder.Requests;
            h.StartServer(nginx, args, port, () => File.Exists(h.Root + "/error.log") ? File.ReadAllText(h.Root + "/error.log") : "");
            return h;
        }
        catch
        {
            h.Dispose();
            throw;
        }
    }
}

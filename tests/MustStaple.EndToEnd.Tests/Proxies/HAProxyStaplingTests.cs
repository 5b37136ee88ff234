using MustStaple.EndToEnd.Tests.Probe;
using MustStaple.Testing;

namespace MustStaple.EndToEnd.Tests.Proxies;

/// <summary>
/// Proves the HAProxy verdicts on a real HAProxy (apt's 2.6) with the config the lint reads and gnutls-cli as the
/// must-staple-enforcing client (docs/evidence/haproxy.md H01–H05). HAProxy never fetches: no responder is needed.
/// </summary>
[TestClass]
public sealed class HAProxyStaplingTests
{
    private static readonly TestCertificate Root = new CertificateBuilder("HAProxy Test Root").AsCa().Build();
    private static readonly TestCertificate Intermediate = new CertificateBuilder("HAProxy Test Issuing CA").AsCa().IssuedBy(Root).Build();
    private static readonly TestCertificate Leaf = new CertificateBuilder("localhost").MustStaple().Ocsp("http://127.0.0.1:9/ocsp")
        .DnsNames("localhost", "127.0.0.1").IssuedBy(Intermediate).Build();

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void H01_NoOcspFile_GnutlsRefused_AndLintReportsMst4004()
    {
        using var h = HAProxy(out var port, ocsp: null);

        var (ok, _, output) = ProxyHarness.GnutlsPoll(port, h.Root + "/root.pem", attempts: 3);
        var probe = LiveProbe.Verdicts(port);
        var lint = h.Lint();

        Assert.IsFalse(ok, output);
        Assert.AreEqual("MST6001", probe, "the probe refuses it as gnutls-cli does");
        Assert.AreEqual("MST4004", Errors(lint).Single(), ProxyHarness.Describe(lint));
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void H02_ValidOcspFile_GnutlsConnectsFirstHandshake_AndLintIsClean()
    {
        var now = DateTimeOffset.UtcNow;
        using var h = HAProxy(out var port, OcspResponses.For(Leaf, Intermediate, now.AddHours(-1), now.AddDays(1)));

        var (ok, output) = ProxyHarness.Gnutls(port, h.Root + "/root.pem");
        var probe = LiveProbe.Verdicts(port);
        var lint = h.Lint();

        Assert.IsTrue(ok, output);
        Assert.AreEqual("", probe, "the probe accepts it as gnutls-cli does");
        Assert.AreEqual("MST4008", lint.Diagnostics.Single().Id, "only the refresh note: " + ProxyHarness.Describe(lint));
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void H03b_OcspFileThreeMinutesLeft_NotStapled_AndLintReportsMst4005()
    {
        var now = DateTimeOffset.UtcNow;
        using var h = HAProxy(out var port, OcspResponses.For(Leaf, Intermediate, now.AddHours(-1), now.AddMinutes(3)));

        var stapled = StapleProbe.Handshake(port);
        var (ok, _, output) = ProxyHarness.GnutlsPoll(port, h.Root + "/root.pem", attempts: 3);
        var probe = LiveProbe.Verdicts(port);
        var lint = h.Lint();

        Assert.IsFalse(stapled, "HAProxy stops stapling 300 s before nextUpdate");
        Assert.IsFalse(ok, output);
        Assert.AreEqual("MST6001", probe, "the probe refuses it as gnutls-cli does");
        Assert.AreEqual("MST4005", Errors(lint).Single(), ProxyHarness.Describe(lint));
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void H05_OcspFileWithoutIssuer_HAProxyRefusesTheConfig_AndLintReportsMst4002()
    {
        var now = DateTimeOffset.UtcNow;
        using var h = Write(out _, OcspResponses.For(Leaf, Intermediate, now.AddHours(-1), now.AddDays(1)), leafOnly: true);

        var (code, output) = ProxyHarness.Run(ProxyHarness.Require("haproxy"), ["-c", "-f", h.Root + "/haproxy.cfg"]);
        var lint = h.Lint();

        Assert.AreNotEqual(0, code, output);
        StringAssert.Contains(output, "impossible to compute the OCSP certificate ID", output);
        Assert.AreEqual("MST4002", Errors(lint).Single(), ProxyHarness.Describe(lint));
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void H04_OcspFileForAnotherCertificate_DroppedAtLoad_AndLintReportsMst4005()
    {
        var now = DateTimeOffset.UtcNow;
        var other = new CertificateBuilder("other").MustStaple().Ocsp("http://127.0.0.1:9/ocsp").IssuedBy(Intermediate).Build();
        using var h = Write(out var port, OcspResponses.For(other, Intermediate, now.AddHours(-1), now.AddDays(1)), leafOnly: false);
        var haproxy = ProxyHarness.Require("haproxy");

        var (code, output) = ProxyHarness.Run(haproxy, ["-c", "-f", h.Root + "/haproxy.cfg"]);
        h.StartServer(haproxy, ["-db", "-f", h.Root + "/haproxy.cfg"], port);
        var stapled = StapleProbe.Handshake(port);
        var lint = h.Lint();

        Assert.AreEqual(0, code, "HAProxy still starts: " + output);
        StringAssert.Contains(output, "Certificate ID does not match certificate and issuer", output);
        Assert.IsFalse(stapled);
        Assert.AreEqual("MST4005", Errors(lint).Single(), ProxyHarness.Describe(lint));
        StringAssert.Contains(lint.Diagnostics.Single().Message, "another certificate");
    }

    private static List<string> Errors(LintResult lint) =>
        lint.Diagnostics.Where(d => d.Severity == Diagnostics.Severity.Error).Select(d => d.Id).ToList();

    private static ProxyHarness HAProxy(out int port, byte[]? ocsp)
    {
        var h = Write(out port, ocsp, leafOnly: false);
        try
        {
            var haproxy = ProxyHarness.Require("haproxy");
            var (code, output) = ProxyHarness.Run(haproxy, ["-c", "-f", h.Root + "/haproxy.cfg"]);
            Assert.AreEqual(0, code, "haproxy -c: " + output);
            h.StartServer(haproxy, ["-db", "-f", h.Root + "/haproxy.cfg"], port);
            return h;
        }
        catch
        {
            h.Dispose();
            throw;
        }
    }

    /// <summary>The PKI, a PEM bundle (leaf, intermediate unless leaf-only, key), the .ocsp beside it, and haproxy.cfg with crt-base.</summary>
    private static ProxyHarness Write(out int port, byte[]? ocsp, bool leafOnly)
    {
        ProxyHarness.Require("haproxy");
        ProxyHarness.Require("gnutls-cli");
        var h = new ProxyHarness();
        port = ProxyHarness.FreePort();
        h.Write("root.pem", Root.Pem);
        h.Write("certs/site.pem", (leafOnly ? Leaf.Pem : TestCertificate.PemChain(Leaf, Intermediate)) + Leaf.KeyPem);
        if (ocsp is not null) h.Write("certs/site.pem.ocsp", ocsp);
        h.Write("haproxy.cfg", $"""
            global
                crt-base {h.Root}/certs

            defaults
                mode http
                timeout connect 5s
                timeout client 5s
                timeout server 5s

            frontend fe
                bind 127.0.0.1:{port} ssl crt site.pem
                http-request return status 200 content-type text/plain string ok

            """);
        return h;
    }
}

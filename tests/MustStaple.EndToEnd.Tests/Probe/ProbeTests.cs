using System.Diagnostics;
using MustStaple.EndToEnd.Tests.Proxies;
using MustStaple.Probe;
using MustStaple.Testing;

namespace MustStaple.EndToEnd.Tests.Probe;

/// <summary>
/// The probe against `openssl s_server -status_file` on 127.0.0.1 (the staple it serves is the file, as is), on TLS 1.3
/// and TLS 1.2, each verdict beside gnutls-cli's (which refuses a must-staple certificate without a valid staple); and
/// the CLI's contract: exit codes, the URL as the location, SARIF. The other servers' probes sit in their own tests
/// (Proxies/*StaplingTests, KestrelStaplingTests).
/// </summary>
[TestClass]
public sealed class ProbeTests
{
    private static readonly TestCertificate Root = new CertificateBuilder("Probe E2E Root").AsCa().Build();
    private static readonly TestCertificate Intermediate = new CertificateBuilder("Probe E2E Issuing CA").AsCa().IssuedBy(Root).Build();
    private static readonly TestCertificate Leaf = new CertificateBuilder("localhost").MustStaple().Ocsp("http://127.0.0.1:9/ocsp")
        .DnsNames("localhost", "127.0.0.1").IssuedBy(Intermediate).Build();

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    [DataRow(ProbeTlsVersions.Tls13)]
    [DataRow(ProbeTlsVersions.Tls12)]
    public void SServer_ValidStatusFile_ProbeIsClean_LikeGnutls(ProbeTlsVersions version)
    {
        var now = DateTimeOffset.UtcNow;
        using var h = SServer(out var port, OcspResponses.For(Leaf, Intermediate, now.AddHours(-1), now.AddDays(1)));

        var result = LiveProbe.Run(port, version);
        var (ok, output) = ProxyHarness.Gnutls(port, h.Root + "/root.pem");

        Assert.IsEmpty(result.Diagnostics, LiveProbe.Describe(result));
        Assert.AreEqual(1, result.FilesRead);
        Assert.IsTrue(ok, output);
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    [DataRow(ProbeTlsVersions.Tls13)]
    [DataRow(ProbeTlsVersions.Tls12)]
    public void SServer_NoStatusFile_ProbeReportsMst6001_AndGnutlsIsRefused(ProbeTlsVersions version)
    {
        using var h = SServer(out var port, staple: null);

        var verdicts = LiveProbe.Verdicts(port, version);
        var (ok, output) = ProxyHarness.Gnutls(port, h.Root + "/root.pem");

        Assert.AreEqual("MST6001", verdicts);
        Assert.IsFalse(ok, output);
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    [DataRow("expired")]
    [DataRow("revoked")]
    public void SServer_BadStatusFile_ProbeReportsMst6002_AndGnutlsIsRefused(string kind)
    {
        var now = DateTimeOffset.UtcNow;
        var staple = kind == "expired"
            ? OcspResponses.For(Leaf, Intermediate, now.AddDays(-2), now.AddDays(-1))
            : OcspResponses.For(Leaf, Intermediate, now.AddHours(-1), now.AddDays(1), revoked: true);
        using var h = SServer(out var port, staple);

        var result = LiveProbe.Run(port);
        var (ok, output) = ProxyHarness.Gnutls(port, h.Root + "/root.pem");

        Assert.AreEqual("MST6002", LiveProbe.Verdicts(result), LiveProbe.Describe(result));
        StringAssert.Contains(result.Diagnostics.Single().Message, kind == "expired" ? "expired at" : "status is revoked");
        Assert.IsFalse(ok, output);
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public void Cli_TwoTargetsOneDown_Exits1_OneLineEach_SarifLocatedAtTheUrls()
    {
        using var h = SServer(out var port, staple: null);
        var down = ProxyHarness.FreePort();

        var (code, output) = Cli(h.Root, $"probe https://localhost:{port}/ 127.0.0.1:{down} --sni localhost --handshakes 2 --timeout 5s --sarif probe.sarif");
        var sarif = File.ReadAllText(Path.Combine(h.Root, "probe.sarif"));

        Assert.AreEqual(1, code, output);
        StringAssert.Contains(output, $"https://localhost:{port}/(1,1): error MST6001: localhost:{port} served must-staple certificate 'localhost' without an OCSP staple on all 2 handshakes");
        StringAssert.Contains(output, $"https://127.0.0.1:{down}/(1,1): error MST6005: Could not probe 127.0.0.1:{down} (no handshake completed): cannot connect to 127.0.0.1:{down}: connection refused");
        StringAssert.Contains(output, "(1 endpoint probed)");
        StringAssert.Contains(sarif, $"\"uri\": \"https://localhost:{port}/\"");
        StringAssert.Contains(sarif, "\"id\": \"muststaple/probe/\"");
        StringAssert.Contains(sarif, "\"ruleId\": \"MST6001\"");
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void Cli_NoTargetReachable_Exits2_AndBadUsageExits2()
    {
        var down = ProxyHarness.FreePort();
        using var dir = new TempDir();

        var (code, output) = Cli(dir.Root, $"probe 127.0.0.1:{down}");
        var (usage, usageOutput) = Cli(dir.Root, "probe http://localhost");

        Assert.AreEqual(2, code, output);
        StringAssert.Contains(output, "error MST6005:");
        Assert.AreEqual(2, usage, usageOutput);
        StringAssert.Contains(usageOutput, "is not https://");
    }

    /// <summary>openssl s_server with the chain, serving <paramref name="staple"/> as it is on every handshake (-status_file).</summary>
    private static ProxyHarness SServer(out int port, byte[]? staple)
    {
        var openssl = ProxyHarness.Require("openssl");
        ProxyHarness.Require("gnutls-cli");
        var h = new ProxyHarness();
        try
        {
            port = ProxyHarness.FreePort();
            h.Write("root.pem", Root.Pem);
            h.Write("leaf.pem", Leaf.Pem);
            h.Write("chain.pem", Intermediate.Pem);
            h.Write("key.pem", Leaf.KeyPem);
            var args = new List<string> { "s_server", "-accept", "127.0.0.1:" + port, "-cert", h.Root + "/leaf.pem", "-key", h.Root + "/key.pem",
                "-cert_chain", h.Root + "/chain.pem", "-www", "-quiet" };
            if (staple is not null) args.AddRange(["-status_file", h.Write("ocsp.der", staple)]);
            h.StartServer(openssl, args, port);
            return h;
        }
        catch
        {
            h.Dispose();
            throw;
        }
    }

    private static (int Code, string Output) Cli(string cwd, string args)
    {
        var psi = new ProcessStartInfo("dotnet", $"\"{CliTests.Tool}\" {args}") { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        Sdk.PinEnglish(psi);
        psi.Environment.Remove("GITHUB_ACTIONS");
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail("the CLI did not finish in 60 s");
        }
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}

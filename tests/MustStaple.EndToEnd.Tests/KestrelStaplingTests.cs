using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MustStaple.Kestrel;
using MustStaple.Testing;

namespace MustStaple.EndToEnd.Tests;

/// <summary>
/// Proves the MST3xxx verdicts against a real Kestrel (configured only by the appsettings.json the test writes),
/// a real OCSP responder on 127.0.0.1 and a client that asks for a staple. For each scenario the lint's verdict
/// and the observed staple must agree (docs/evidence/kestrel.md rows A01, A04, A06, A10, A12, A15).
/// </summary>
[TestClass]
public sealed class KestrelStaplingTests
{
    private static OcspResponder _responder = null!;
    private static TestCertificate _root = null!;
    private static TestCertificate _intermediate = null!;
    private static TestCertificate _leaf = null!;
    private static TestCertificate _leafWithoutOcsp = null!;

    [ClassInitialize]
    public static async Task StartResponder(TestContext _)
    {
        _responder = await OcspResponder.StartAsync();
        _root = new CertificateBuilder("Staple Test Root").AsCa().Build();
        _intermediate = new CertificateBuilder("Staple Test Issuing CA").AsCa().IssuedBy(_root).Build();
        _responder.Issuer = _intermediate;
        _leaf = new CertificateBuilder("localhost").MustStaple().Ocsp(_responder.Url).DnsNames("localhost", "127.0.0.1").IssuedBy(_intermediate).Build();
        _leafWithoutOcsp = new CertificateBuilder("localhost").MustStaple().DnsNames("localhost", "127.0.0.1").IssuedBy(_intermediate).Build();
    }

    [ClassCleanup]
    public static async Task StopResponder() => await _responder.DisposeAsync();

    [TestMethod]
    public async Task A04_PemLeafIntermediateRoot_IsStapled_AndLintIsClean()
    {
        var outcome = await RunAsync(dir =>
        {
            dir.Write("chain.pem", TestCertificate.PemChain(_leaf, _intermediate, _root));
            dir.Write("key.pem", _leaf.KeyPem);
            return Endpoint("""{ "Path": "chain.pem", "KeyPath": "key.pem" }""");
        }, expectStaple: true);

        Assert.IsTrue(outcome.Stapled, $"no staple after {outcome.Handshakes} handshakes");
        Assert.IsEmpty(outcome.Findings, string.Join("\n", outcome.Findings));
        Assert.AreEqual("", outcome.Probe, "the probe finds the staple valid");
    }

    [TestMethod]
    public async Task A10_DefaultCertificatePemChain_IsStapled_AndLintIsClean()
    {
        var outcome = await RunAsync(dir =>
        {
            dir.Write("chain.pem", TestCertificate.PemChain(_leaf, _intermediate, _root));
            dir.Write("key.pem", _leaf.KeyPem);
            return """{ "Kestrel": { "Endpoints": { "Https": { "Url": "https://127.0.0.1:0" } }, "Certificates": { "Default": { "Path": "chain.pem", "KeyPath": "key.pem" } } } }""";
        }, expectStaple: true);

        Assert.IsTrue(outcome.Stapled);
        Assert.IsEmpty(outcome.Findings, string.Join("\n", outcome.Findings));
        Assert.AreEqual("", outcome.Probe, "the probe finds the staple valid");
    }

    [TestMethod]
    public async Task A06_PfxWithSameChain_IsNotStapled_AndLintReportsMst3001()
    {
        var outcome = await RunAsync(dir =>
        {
            dir.Write("site.pfx", _leaf.ToPfx("pfx-password", _intermediate, _root));
            return Endpoint("""{ "Path": "site.pfx", "Password": "pfx-password" }""");
        }, expectStaple: false);

        Assert.IsFalse(outcome.Stapled);
        AssertFindings(outcome, "MST3001");
        Assert.AreEqual("MST6001", outcome.Probe, "PFX on Linux: never stapled");
    }

    [TestMethod]
    public async Task A01_LeafOnlyPemWithoutCaIssuers_IsNotStapled_AndLintReportsMst3001()
    {
        var outcome = await RunAsync(dir =>
        {
            dir.Write("leaf.pem", _leaf.Pem);
            dir.Write("key.pem", _leaf.KeyPem);
            return Endpoint("""{ "Path": "leaf.pem", "KeyPath": "key.pem" }""");
        }, expectStaple: false);

        Assert.IsFalse(outcome.Stapled);
        AssertFindings(outcome, "MST3001");
    }

    [TestMethod]
    public async Task A15_MustStapleWithoutOcspUrl_IsNotStapled_AndLintReportsMst1001()
    {
        var outcome = await RunAsync(dir =>
        {
            dir.Write("chain.pem", TestCertificate.PemChain(_leafWithoutOcsp, _intermediate, _root));
            dir.Write("key.pem", _leafWithoutOcsp.KeyPem);
            return Endpoint("""{ "Path": "chain.pem", "KeyPath": "key.pem" }""");
        }, expectStaple: false);

        Assert.IsFalse(outcome.Stapled);
        AssertFindings(outcome, "MST1001");
        Assert.AreEqual("MST1001 MST6001", outcome.Probe, "the served chain gets the certificate rules too");
    }

    [TestMethod]
    public async Task A12_SniEntryWithoutCertificate_IsNotStapled_AndLintReportsMst3001()
    {
        var outcome = await RunAsync(dir =>
        {
            dir.Write("chain.pem", TestCertificate.PemChain(_leaf, _intermediate, _root));
            dir.Write("key.pem", _leaf.KeyPem);
            return """
                { "Kestrel": { "Endpoints": { "Https": {
                    "Url": "https://127.0.0.1:0",
                    "Certificate": { "Path": "chain.pem", "KeyPath": "key.pem" },
                    "Sni": { "localhost": { "Protocols": "Http1" } } } } } }
                """;
        }, expectStaple: false);

        Assert.IsFalse(outcome.Stapled);
        AssertFindings(outcome, "MST3001");
    }

    private static void AssertFindings(Outcome outcome, params string[] ids) =>
        CollectionAssert.AreEqual(ids, outcome.Findings.Select(f => f.Split(' ')[0]).ToArray(), string.Join("\n", outcome.Findings));

    private static string Endpoint(string certificate) =>
        $$"""{ "Kestrel": { "Endpoints": { "Https": { "Url": "https://127.0.0.1:0", "Certificate": {{certificate}} } } } }""";

    private sealed record Outcome(bool Stapled, int Handshakes, IReadOnlyList<string> Findings, string Probe);

    private static async Task<Outcome> RunAsync(Func<TempDir, string> arrange, bool expectStaple)
    {
        using var dir = new TempDir();
        dir.Write("appsettings.json", arrange(dir));

        // The lint's verdict for this content root on Linux.
        var lint = LintEngine.Run(new LintRequest { Paths = [dir.Root], Now = DateTimeOffset.UtcNow, TargetPlatform = TargetPlatform.Linux, SourceRoot = dir.Root });
        var findings = lint.Diagnostics.Where(d => d.Id.StartsWith("MST1", StringComparison.Ordinal) || d.Id.StartsWith("MST3", StringComparison.Ordinal))
            .Select(d => $"{d.Id} {Path.GetFileName(d.Location.Path)}({d.Location.Line}): {d.Message}").ToList();

        // A real Kestrel configured only by that appsettings.json.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = dir.Root, EnvironmentName = "Production", Args = [] });
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.MapGet("/", () => "ok");
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var port = new Uri(address).Port;
            // Kestrel fetches in the background and never waits: poll a bounded number of handshakes.
            // Expecting no staple, still allow the fetch a chance (1.5 s) so "not stapled" is not a timing accident.
            var (stapled, handshakes) = StapleProbe.Poll(port, attempts: expectStaple ? 40 : 6, delayMs: 250);
            return new Outcome(stapled, handshakes, findings, Probe.LiveProbe.Verdicts(port));
        }
        finally
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await app.StopAsync(cts.Token);
        }
    }
}

/// <summary>A temporary content root outside the repository.</summary>
internal sealed class TempDir : IDisposable
{
    public string Root { get; } = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "muststaple-e2e", Guid.NewGuid().ToString("N"))).FullName;

    public void Write(string relative, string text) => File.WriteAllText(Prepare(relative), text);

    public void Write(string relative, byte[] bytes) => File.WriteAllBytes(Prepare(relative), bytes);

    private string Prepare(string relative)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MustStaple.Kestrel;
using MustStaple.Testing;

namespace MustStaple.EndToEnd.Tests;

/// <summary>
/// Kestrel configured in C# (docs/evidence/kestrel.md#code): each test hands a real Kestrel some configuration code
/// and runs the analyzer, with the facts Core computes for the same folder, over the same code written as Program.cs.
/// The analyzer's verdict and the staple a must-staple-enforcing client observes must agree.
/// </summary>
[TestClass]
public sealed class KestrelCodeStaplingTests
{
    private static OcspResponder _responder = null!;
    private static TestCertificate _root = null!;
    private static TestCertificate _intermediate = null!;
    private static TestCertificate _leaf = null!;

    private const string Usings = """
        using System.Net;
        using System.Net.Security;
        using System.Security.Cryptography.X509Certificates;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Hosting;
        using Microsoft.AspNetCore.Server.Kestrel.Https;
        var builder = WebApplication.CreateBuilder(args);

        """;

    [ClassInitialize]
    public static async Task StartResponder(TestContext _)
    {
        _responder = await OcspResponder.StartAsync();
        _root = new CertificateBuilder("Code Staple Root").AsCa().Build();
        _intermediate = new CertificateBuilder("Code Staple Issuing CA").AsCa().IssuedBy(_root).Build();
        _responder.Issuer = _intermediate;
        _leaf = new CertificateBuilder("localhost").MustStaple().Ocsp(_responder.Url).DnsNames("localhost", "127.0.0.1").IssuedBy(_intermediate).Build();
    }

    [ClassCleanup]
    public static async Task StopResponder() => await _responder.DisposeAsync();

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task CodeCertChain_ServerCertificateWithChain_IsStapled_AndAnalyzerIsSilent()
    {
        var outcome = await RunAsync(
            """
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile("chain.pem");
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(o =>
            {
                o.ServerCertificate = X509Certificate2.CreateFromPemFile("chain.pem", "key.pem");
                o.ServerCertificateChain = chain;
            })));
            """,
            root => l => l.UseHttps(o =>
            {
                var chain = new X509Certificate2Collection();
                chain.ImportFromPemFile(Path.Combine(root, "chain.pem"));
                o.ServerCertificate = X509Certificate2.CreateFromPemFile(Path.Combine(root, "chain.pem"), Path.Combine(root, "key.pem"));
                o.ServerCertificateChain = chain;
            }), expectStaple: true);

        Assert.IsTrue(outcome.Stapled, $"no staple after {outcome.Handshakes} handshakes");
        Assert.IsEmpty(outcome.Findings, string.Join("\n", outcome.Findings));
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task CodeSelector_IsNotStapled_AndAnalyzerReportsMst3007OnTheLine()
    {
        var outcome = await RunAsync(
            """
            var cert = X509Certificate2.CreateFromPemFile("chain.pem", "key.pem");
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(o =>
                o.ServerCertificateSelector = (context, name) => cert)));
            """,
            root => l => l.UseHttps(o =>
            {
                var cert = X509Certificate2.CreateFromPemFile(Path.Combine(root, "chain.pem"), Path.Combine(root, "key.pem"));
                o.ServerCertificateSelector = (context, name) => cert;
            }), expectStaple: false);

        Assert.IsFalse(outcome.Stapled);
        Assert.AreEqual("MST3007 10", string.Join(" | ", outcome.Findings));
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task CodeCallbackContextOffline_IsNotStapled_AndAnalyzerReportsMst3009OnTheLine()
    {
        var outcome = await RunAsync(
            """
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile("chain.pem");
            var context = SslStreamCertificateContext.Create(X509Certificate2.CreateFromPemFile("chain.pem", "key.pem"), chain, offline: true);
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(new TlsHandshakeCallbackOptions
            {
                OnConnection = _ => new System.Threading.Tasks.ValueTask<SslServerAuthenticationOptions>(new SslServerAuthenticationOptions { ServerCertificateContext = context }),
            })));
            """,
            root => Callback(root, offline: true), expectStaple: false);

        Assert.IsFalse(outcome.Stapled);
        Assert.AreEqual("MST3009 10", string.Join(" | ", outcome.Findings));
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task CodeCallbackContextOnline_IsStapled_AndAnalyzerIsSilent()
    {
        var outcome = await RunAsync(
            """
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile("chain.pem");
            var context = SslStreamCertificateContext.Create(X509Certificate2.CreateFromPemFile("chain.pem", "key.pem"), chain, offline: false);
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(new TlsHandshakeCallbackOptions
            {
                OnConnection = _ => new System.Threading.Tasks.ValueTask<SslServerAuthenticationOptions>(new SslServerAuthenticationOptions { ServerCertificateContext = context }),
            })));
            """,
            root => Callback(root, offline: false), expectStaple: true);

        Assert.IsTrue(outcome.Stapled, $"no staple after {outcome.Handshakes} handshakes");
        Assert.IsEmpty(outcome.Findings, string.Join("\n", outcome.Findings));
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task CodeCallbackBareCertificate_IsNotStapled_AndAnalyzerReportsMst3008OnTheLine()
    {
        var outcome = await RunAsync(
            """
            var cert = X509Certificate2.CreateFromPemFile("chain.pem", "key.pem");
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(new TlsHandshakeCallbackOptions
            {
                OnConnection = _ => new System.Threading.Tasks.ValueTask<SslServerAuthenticationOptions>(
                    new SslServerAuthenticationOptions { ServerCertificate = cert }),
            })));
            """,
            root => l =>
            {
                var cert = X509Certificate2.CreateFromPemFile(Path.Combine(root, "chain.pem"), Path.Combine(root, "key.pem"));
                l.UseHttps(new TlsHandshakeCallbackOptions
                {
                    OnConnection = _ => new ValueTask<SslServerAuthenticationOptions>(new SslServerAuthenticationOptions { ServerCertificate = cert }),
                });
            }, expectStaple: false);

        Assert.IsFalse(outcome.Stapled);
        Assert.AreEqual("MST3008 12", string.Join(" | ", outcome.Findings));
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task CodePfxPath_PfxChainIgnored_IsNotStapled_AndAnalyzerReportsMst3001OnTheLine()
    {
        var outcome = await RunAsync(
            """
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps("site.pfx", "pfx-password")));
            """,
            root => l => l.UseHttps(Path.Combine(root, "site.pfx"), "pfx-password"), expectStaple: false);

        Assert.IsFalse(outcome.Stapled);
        Assert.AreEqual("MST3001 8", string.Join(" | ", outcome.Findings));
    }

    private static Action<ListenOptions> Callback(string root, bool offline) => l =>
    {
        var chain = new X509Certificate2Collection();
        chain.ImportFromPemFile(Path.Combine(root, "chain.pem"));
        var context = SslStreamCertificateContext.Create(X509Certificate2.CreateFromPemFile(Path.Combine(root, "chain.pem"), Path.Combine(root, "key.pem")), chain, offline: offline);
        l.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = _ => new ValueTask<SslServerAuthenticationOptions>(new SslServerAuthenticationOptions { ServerCertificateContext = context }),
        });
    };

    private sealed record Outcome(bool Stapled, int Handshakes, IReadOnlyList<string> Findings);

    private static async Task<Outcome> RunAsync(string program, Func<string, Action<ListenOptions>> listen, bool expectStaple)
    {
        using var dir = new TempDir();
        dir.Write("chain.pem", TestCertificate.PemChain(_leaf, _intermediate, _root));
        dir.Write("key.pem", _leaf.KeyPem);
        dir.Write("site.pfx", _leaf.ToPfx("pfx-password", _intermediate, _root));

        // The analyzer's verdict: Core's facts for this folder on Linux, the code as Program.cs (password from the code).
        var facts = CodeFacts.Compute(new CodeFactsRequest
        {
            ProjectDirectory = dir.Root,
            TargetPlatform = TargetPlatform.Linux,
            Passwords = CodePasswords.FromSources([Usings + program]),
        });
        var findings = await AnalyzerRunner.RunAsync(Usings + program, facts);

        // A real Kestrel configured by the same code.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = dir.Root, EnvironmentName = "Production", Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen(dir.Root)));
        await using var app = builder.Build();
        app.MapGet("/", () => "ok");
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var (stapled, handshakes) = StapleProbe.Poll(new Uri(address).Port, attempts: expectStaple ? 40 : 6, delayMs: 250);
            return new Outcome(stapled, handshakes, findings);
        }
        finally
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await app.StopAsync(cts.Token);
        }
    }
}

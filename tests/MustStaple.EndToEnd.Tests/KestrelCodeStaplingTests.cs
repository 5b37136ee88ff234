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
    private static TestCertificate _remoteLeaf = null!;

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
        _remoteLeaf = new CertificateBuilder("localhost").MustStaple().Ocsp(_responder.RemoteUrl).DnsNames("localhost", "127.0.0.1").IssuedBy(_intermediate).Build();
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

    // docs/evidence/kestrel.md#round3-context: the same online context, created inside OnConnection, is a new context per
    // handshake. Its OCSP fetch starts when the context is created, a few milliseconds before the server's first flight:
    // only a responder faster than that could be stapled. The responder here answers as a remote one does (RemoteUrl:
    // 2 s); the loopback one without latency wins that race now and then under load (1 of 6 handshakes in one CI run).
    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task Round3Item8_ContextCreatedPerHandshake_IsNotStapled_AndAnalyzerReportsMst3011OnTheLine()
    {
        var requestsBefore = _responder.Requests;
        var outcome = await RunAsync(
            """
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile("chain.pem");
            var cert = X509Certificate2.CreateFromPemFile("chain.pem", "key.pem");
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(new TlsHandshakeCallbackOptions
            {
                OnConnection = _ => new System.Threading.Tasks.ValueTask<SslServerAuthenticationOptions>(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = SslStreamCertificateContext.Create(cert, chain, offline: false),
                }),
            })));
            """,
            (builder, root) => builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l =>
            {
                var chain = new X509Certificate2Collection();
                chain.ImportFromPemFile(Path.Combine(root, "chain.pem"));
                var cert = X509Certificate2.CreateFromPemFile(Path.Combine(root, "chain.pem"), Path.Combine(root, "key.pem"));
                l.UseHttps(new TlsHandshakeCallbackOptions
                {
                    OnConnection = _ => new ValueTask<SslServerAuthenticationOptions>(new SslServerAuthenticationOptions
                    {
                        ServerCertificateContext = SslStreamCertificateContext.Create(cert, chain, offline: false),
                    }),
                });
            })), expectStaple: false, leaf: _remoteLeaf);

        Assert.IsFalse(outcome.Stapled, $"a staple in {outcome.Handshakes} handshakes");
        Assert.IsGreaterThan(1, _responder.Requests - requestsBefore, "a new context fetches OCSP again on every handshake");
        Assert.AreEqual("MST3011 15", string.Join(" | ", outcome.Findings));
    }

    // §2.7.9: CreateFromPem keeps only the first certificate of the text, like CreateFromPemFile.
    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task Round3Item9_CreateFromPemOfTheFullChainText_IsNotStapled_AndAnalyzerReportsMst3001OnTheLine()
    {
        var outcome = await RunAsync(
            """
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(X509Certificate2.CreateFromPem(System.IO.File.ReadAllText("chain.pem"), System.IO.File.ReadAllText("key.pem")))));
            """,
            root => l => l.UseHttps(X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(root, "chain.pem")), File.ReadAllText(Path.Combine(root, "key.pem")))),
            expectStaple: false);

        Assert.IsFalse(outcome.Stapled);
        Assert.AreEqual("MST3001 8", string.Join(" | ", outcome.Findings));
    }

    // §2.7.11: a path read from any configuration key is followed through the effective configuration.
    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task Round3Item11_PfxPathFromAnAppConfigurationKey_IsNotStapled_AndAnalyzerReportsMst3001OnTheLine()
    {
        var outcome = await RunAsync(
            """
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(builder.Configuration["CertPath"]!, builder.Configuration["CertPassword"])));
            """,
            (builder, _) => builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0,
                l => l.UseHttps(builder.Configuration["CertPath"]!, builder.Configuration["CertPassword"]))),
            expectStaple: false, settings: """{ "CertPath": "site.pfx", "CertPassword": "pfx-password" }""");

        Assert.IsFalse(outcome.Stapled);
        Assert.AreEqual("MST3001 8", string.Join(" | ", outcome.Findings));
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task Round3Item11_PemChainPathFromAnAppConfigurationKey_IsStapled_AndAnalyzerIsSilent()
    {
        var outcome = await RunAsync(
            """
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile(builder.Configuration["ChainPath"]!);
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(o =>
            {
                o.ServerCertificate = X509Certificate2.CreateFromPemFile(builder.Configuration["ChainPath"]!, "key.pem");
                o.ServerCertificateChain = chain;
            })));
            """,
            (builder, root) => builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(o =>
            {
                var chain = new X509Certificate2Collection();
                chain.ImportFromPemFile(Path.Combine(root, builder.Configuration["ChainPath"]!));
                o.ServerCertificate = X509Certificate2.CreateFromPemFile(Path.Combine(root, builder.Configuration["ChainPath"]!), Path.Combine(root, "key.pem"));
                o.ServerCertificateChain = chain;
            }))),
            expectStaple: true, settings: """{ "ChainPath": "chain.pem" }""");

        Assert.IsTrue(outcome.Stapled, $"no staple after {outcome.Handshakes} handshakes");
        Assert.IsEmpty(outcome.Findings, string.Join("\n", outcome.Findings));
    }

    // §2.7.10: Configure(section).Endpoint(name, e => e.HttpsOptions.ServerCertificate = pfxLeaf) keeps the chain the
    // configuration loaded for the endpoint: its own Certificate, or Certificates:Default; with none, the leaf is alone.
    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    [DataRow("endpoint", true, DisplayName = "the endpoint's Certificate is a PEM full chain: stapled")]
    [DataRow("default", true, DisplayName = "Certificates:Default is a PEM full chain: stapled")]
    [DataRow("none", false, DisplayName = "no configured certificate: the PFX leaf alone, not stapled")]
    public async Task Round3Item10_EndpointCallbackSettingAPfxLeaf_KeepsTheConfiguredChain_AnalyzerAgrees(string configured, bool stapled)
    {
        var pem = """{ "Path": "chain.pem", "KeyPath": "key.pem" }""";
        var settings = configured switch
        {
            "endpoint" => $$"""{ "Kestrel": { "Endpoints": { "Https": { "Url": "https://127.0.0.1:0", "Certificate": {{pem}} } } } }""",
            "default" => $$"""{ "Kestrel": { "Certificates": { "Default": {{pem}} }, "Endpoints": { "Https": { "Url": "https://127.0.0.1:0" } } } }""",
            _ => """{ "Kestrel": { "Endpoints": { "Https": { "Url": "https://127.0.0.1:0" } } } }""",
        };
        var outcome = await RunAsync(
            """
            var leaf = X509CertificateLoader.LoadPkcs12FromFile("site.pfx", "pfx-password");
            builder.WebHost.ConfigureKestrel(k => k.Configure(builder.Configuration.GetSection("Kestrel")).Endpoint("Https", e => e.HttpsOptions.ServerCertificate = leaf));
            """,
            (builder, root) =>
            {
                var leaf = X509CertificateLoader.LoadPkcs12FromFile(Path.Combine(root, "site.pfx"), "pfx-password");
                builder.WebHost.ConfigureKestrel(k => k.Configure(builder.Configuration.GetSection("Kestrel")).Endpoint("Https", e => e.HttpsOptions.ServerCertificate = leaf));
            },
            expectStaple: stapled, settings: settings);

        Assert.AreEqual(stapled, outcome.Stapled, $"{outcome.Handshakes} handshakes");
        Assert.AreEqual(stapled ? "" : "MST3001 9", string.Join(" | ", outcome.Findings));
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

    private static Task<Outcome> RunAsync(string program, Func<string, Action<ListenOptions>> listen, bool expectStaple) =>
        RunAsync(program, (builder, root) => builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen(root))), expectStaple);

    // The real Kestrel is configured by `configure` (the builder and the content root); `settings` is its appsettings.json.
    // `leaf` is the served certificate (default: the one whose responder answers at once).
    private static async Task<Outcome> RunAsync(string program, Action<WebApplicationBuilder, string> configure, bool expectStaple,
        string? settings = null, TestCertificate? leaf = null)
    {
        leaf ??= _leaf;
        using var dir = new TempDir();
        if (settings is not null) dir.Write("appsettings.json", settings);
        dir.Write("chain.pem", TestCertificate.PemChain(leaf, _intermediate, _root));
        dir.Write("key.pem", leaf.KeyPem);
        dir.Write("site.pfx", leaf.ToPfx("pfx-password", _intermediate, _root));

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
        configure(builder, dir.Root);
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

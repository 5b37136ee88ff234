using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using static MustStaple.Analyzers.Tests.Verify;

namespace MustStaple.Analyzers.Tests;

/// <summary>MST3011: an SslStreamCertificateContext created per handshake (docs/evidence/kestrel.md#round3-context).</summary>
[TestClass]
public sealed class PerHandshakeContextTests
{
    // Platform unknown on purpose: the verdict holds on every platform, and the chain would be complete.
    private static readonly string Facts = Verify.Facts("unknown",
        Ms("certs/chain.pem", "pem", "incomplete", "complete"), "chain certs/chain.pem certs/chain.pem complete",
        Plain("certs/plain.pem", "pem"));

    [TestMethod]
    public async Task ContextCreatedInsideOnConnection_ReportsMst3011OnTheCreateCall()
    {
        await AnalyzerAsync("""
            var cert = X509Certificate2.CreateFromPemFile("certs/chain.pem", "certs/key.pem");
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile("certs/chain.pem");
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(5001, l => l.UseHttps(new TlsHandshakeCallbackOptions
            {
                OnConnection = _ => new System.Threading.Tasks.ValueTask<SslServerAuthenticationOptions>(
                    new SslServerAuthenticationOptions { ServerCertificateContext = {|#0:SslStreamCertificateContext.Create(cert, chain, offline: false)|} }),
            })));
            """, Facts,
            new DiagnosticResult("MST3011", DiagnosticSeverity.Error).WithLocation(0)
                .WithMessage("Must-staple certificate 'shop.example' ('certs/chain.pem') gets a new SslStreamCertificateContext on every handshake (created inside the OnConnection callback): each new context starts its own OCSP fetch, which that handshake never waits for, so no staple is ever sent. Create the context once, outside the callback, and return that one."));
    }

    [TestMethod]
    public async Task ContextCreatedInAServerOptionsSelectionCallback_ThroughALocal_ReportsMst3011()
    {
        await AnalyzerAsync("""
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(5001, l => l.UseHttps((stream, hello, state, token) =>
            {
                var context = {|MST3011:SslStreamCertificateContext.Create(X509Certificate2.CreateFromPemFile("certs/chain.pem", "certs/key.pem"), null)|};
                return new System.Threading.Tasks.ValueTask<SslServerAuthenticationOptions>(new SslServerAuthenticationOptions { ServerCertificateContext = context });
            }, null)));
            """, Facts);
    }

    [TestMethod]
    public async Task ContextCachedInsideTheCallback_IsSilent()
    {
        await AnalyzerAsync("""
            SslStreamCertificateContext? cached = null;
            var cache = new System.Collections.Concurrent.ConcurrentDictionary<string, SslStreamCertificateContext>();
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k =>
            {
                k.ListenAnyIP(5001, l => l.UseHttps(new TlsHandshakeCallbackOptions
                {
                    OnConnection = _ => new System.Threading.Tasks.ValueTask<SslServerAuthenticationOptions>(new SslServerAuthenticationOptions
                    {
                        ServerCertificateContext = cached ??= SslStreamCertificateContext.Create(X509Certificate2.CreateFromPemFile("certs/chain.pem", "certs/key.pem"), null),
                    }),
                }));
                k.ListenAnyIP(5002, l => l.UseHttps(new TlsHandshakeCallbackOptions
                {
                    OnConnection = c => new System.Threading.Tasks.ValueTask<SslServerAuthenticationOptions>(new SslServerAuthenticationOptions
                    {
                        ServerCertificateContext = cache.GetOrAdd(c.ClientHelloInfo.ServerName, _ => SslStreamCertificateContext.Create(X509Certificate2.CreateFromPemFile("certs/chain.pem", "certs/key.pem"), null)),
                    }),
                }));
            });
            """, Facts);
    }

    [TestMethod]
    public async Task ContextCreatedPerHandshake_PlainCertificate_IsSilent()
    {
        await AnalyzerAsync("""
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(5001, l => l.UseHttps(new TlsHandshakeCallbackOptions
            {
                OnConnection = _ => new System.Threading.Tasks.ValueTask<SslServerAuthenticationOptions>(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = SslStreamCertificateContext.Create(X509Certificate2.CreateFromPemFile("certs/plain.pem", "certs/plain.key"), null),
                }),
            })));
            """, Facts);
    }

    [TestMethod]
    public async Task ContextCreatedOfflinePerHandshake_ReportsOnlyMst3009()
    {
        await AnalyzerAsync("""
            var cert = X509Certificate2.CreateFromPemFile("certs/chain.pem", "certs/key.pem");
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(5001, l => l.UseHttps(new TlsHandshakeCallbackOptions
            {
                OnConnection = _ => new System.Threading.Tasks.ValueTask<SslServerAuthenticationOptions>(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = SslStreamCertificateContext.Create(cert, null, offline: {|MST3009:true|}),
                }),
            })));
            """, Facts);
    }
}

/// <summary>X509Certificate2.CreateFromPem(File.ReadAllText(chain), key) keeps one certificate (docs/evidence/kestrel.md#round3-frompem).</summary>
[TestClass]
public sealed class CreateFromPemTests
{
    private static readonly string Facts = Verify.Facts("linux",
        Ms("certs/chain.pem", "pem", "incomplete", "complete"), "chain certs/chain.pem certs/chain.pem complete");

    [TestMethod]
    public async Task CreateFromPemOfAFullChainText_ReportsMst3001OnTheAssignment()
    {
        await AnalyzerAsync("""
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(5001, l => l.UseHttps(o =>
            {
                {|#0:o.ServerCertificate = X509Certificate2.CreateFromPem(File.ReadAllText("certs/chain.pem"), File.ReadAllText("certs/key.pem"))|};
            })));
            """, Facts,
            new DiagnosticResult("MST3001", DiagnosticSeverity.Error).WithLocation(0)
                .WithMessage("Must-staple certificate 'shop.example' ('certs/chain.pem') served here will never be stapled on Linux: ServerCertificate gives Kestrel the leaf without ServerCertificateChain, and no http caIssuers URL lets Kestrel fetch the rest. Set ServerCertificateChain beside this ServerCertificate: an X509Certificate2Collection filled by chain.ImportFromPemFile(\"fullchain.pem\") (intermediates, and the root if it is a private CA)."));
    }

    [TestMethod]
    public async Task CreateFromPemThroughALocal_UseHttps_ReportsMst3001()
    {
        await AnalyzerAsync("""
            var pem = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "certs", "chain.pem"));
            var cert = X509Certificate2.CreateFromPem(pem, File.ReadAllText("certs/key.pem"));
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(5001, l => {|MST3001:l.UseHttps(cert)|}));
            """, Facts);
    }

    [TestMethod]
    public async Task CreateFromPemWithTheChainImportedFromTheSameText_IsSilent()
    {
        await AnalyzerAsync("""
            var chain = new X509Certificate2Collection();
            chain.ImportFromPem(File.ReadAllText("certs/chain.pem"));
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(5001, l => l.UseHttps(o =>
            {
                o.ServerCertificate = X509Certificate2.CreateFromPem(File.ReadAllText("certs/chain.pem"), File.ReadAllText("certs/key.pem"));
                o.ServerCertificateChain = chain;
            })));
            """, Facts);
    }

    [TestMethod]
    public async Task CreateFromPemOfTextFromElsewhere_ReportsOnlyTheNote()
    {
        await AnalyzerAsync("""
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(5001, l => {|MST0007:l.UseHttps(X509Certificate2.CreateFromPem(Environment.GetEnvironmentVariable("CERT"), Environment.GetEnvironmentVariable("KEY")))|}));
            """, Facts);
    }
}

/// <summary>A path read from any configuration key is followed through the effective configuration (docs/evidence/kestrel.md#round3-config).</summary>
[TestClass]
public sealed class ConfigurationKeyPathTests
{
    private static readonly string Facts = Verify.Facts("linux", Ms("certs/site.pfx", "pfx", "incomplete", "incomplete"))
        + "config\tCertPath\tcerts/site.pfx\nconfig\tTls:Certificate\tcerts/site.pfx\n";

    [TestMethod]
    public async Task PfxPathFromAnAppKey_ReportsMst3001OnTheCall()
    {
        await AnalyzerAsync("""
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(5001, l => l.UseHttps(builder.Configuration["CertPath"]!, "pfx-password")));
            """, Facts,
            new DiagnosticResult("MST3001", DiagnosticSeverity.Error).WithSpan("/0/Program.cs", 10, 64, 10, 126)
                .WithMessage("Must-staple certificate 'shop.example' ('certs/site.pfx') served here will never be stapled on Linux: UseHttps(path) loads the PFX with new X509Certificate2 and passes no chain (Kestrel ignores the certificates inside a PFX), and no http caIssuers URL lets Kestrel fetch the rest. Give Kestrel the chain through the options overload of the same call: UseHttps(h => { h.ServerCertificate = X509Certificate2.CreateFromPemFile(\"fullchain.pem\", \"key.pem\"); h.ServerCertificateChain = chain; }), where chain is an X509Certificate2Collection filled by chain.ImportFromPemFile(\"fullchain.pem\")."));
    }

    [TestMethod]
    public async Task PfxPathFromASectionAndFromGetValue_ReportsMst3001()
    {
        await AnalyzerAsync("""
            var builder = WebApplication.CreateBuilder(args);
            var tls = builder.Configuration.GetSection("Tls");
            builder.WebHost.ConfigureKestrel(k =>
            {
                k.ListenAnyIP(5001, l => {|MST3001:l.UseHttps(tls["Certificate"]!, "pfx-password")|});
                k.ListenAnyIP(5002, l => {|MST3001:l.UseHttps(X509CertificateLoader.LoadPkcs12FromFile(Microsoft.Extensions.Configuration.ConfigurationBinder.GetValue<string>(builder.Configuration, "CertPath")!, "pfx-password"))|});
            });
            """, Facts);
    }

    [TestMethod]
    public async Task KeyTheConfigurationDoesNotHave_ReportsOnlyTheNote()
    {
        await AnalyzerAsync("""
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(5001, l => {|MST0007:l.UseHttps(builder.Configuration["OtherPath"]!, "pfx-password")|}));
            """, Facts);
    }

    [TestMethod]
    public async Task PemChainPathFromAnAppKey_IsSilent()
    {
        await AnalyzerAsync("""
            var builder = WebApplication.CreateBuilder(args);
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile(builder.Configuration["ChainPath"]!);
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(5001, l => l.UseHttps(o =>
            {
                o.ServerCertificate = X509Certificate2.CreateFromPemFile(builder.Configuration["ChainPath"]!, "certs/key.pem");
                o.ServerCertificateChain = chain;
            })));
            """, Verify.Facts("linux", Ms("certs/chain.pem", "pem", "incomplete", "complete"), "chain certs/chain.pem certs/chain.pem complete")
                + "config\tChainPath\tcerts/chain.pem\n");
    }
}

/// <summary>
/// Configure(section).Endpoint(name, e => e.HttpsOptions.ServerCertificate = x) keeps the chain the configuration
/// loaded for the endpoint (docs/evidence/kestrel.md#round3-endpoint).
/// </summary>
[TestClass]
public sealed class ConfiguredEndpointCallbackTests
{
    private static readonly string Certificates = Verify.Facts("linux",
        Ms("certs/site.pfx", "pfx", "incomplete", "incomplete"), "chain certs/site.pfx certs/chain.pem complete",
        Ms("certs/chain.pem", "pem", "incomplete", "complete"), "chain certs/chain.pem certs/chain.pem complete");

    private const string Program = """
        var builder = WebApplication.CreateBuilder(args);
        var leaf = X509CertificateLoader.LoadPkcs12FromFile("certs/site.pfx", "pfx-password");
        builder.WebHost.ConfigureKestrel(k => k.Configure(builder.Configuration.GetSection("Kestrel"))
            .Endpoint("Https", e => {|#0:e.HttpsOptions.ServerCertificate = leaf|}));
        """;

    [TestMethod]
    public async Task PfxLeafOverAConfiguredPemFullChain_IsSilent()
    {
        await AnalyzerAsync(Program.Replace("{|#0:", "").Replace("|}", ""),
            Certificates + "config\tKestrel:Endpoints:Https:Certificate:Path\tcerts/chain.pem\n");
    }

    [TestMethod]
    public async Task PfxLeafOverAPemFullChainInCertificatesDefault_IsSilent()
    {
        await AnalyzerAsync(Program.Replace("{|#0:", "").Replace("|}", ""),
            Certificates + "config\tKestrel:Certificates:Default:Path\tcerts/chain.pem\n");
    }

    [TestMethod]
    public async Task PfxLeafWithoutAConfiguredCertificate_ReportsMst3001OnTheAssignment()
    {
        await AnalyzerAsync(Program, Certificates,
            new DiagnosticResult("MST3001", DiagnosticSeverity.Error).WithLocation(0)
                .WithMessage("Must-staple certificate 'shop.example' ('certs/site.pfx') served here will never be stapled on Linux: EndpointConfiguration.HttpsOptions.ServerCertificate gives Kestrel the leaf without ServerCertificateChain (the certificates inside the PFX are ignored), and no http caIssuers URL lets Kestrel fetch the rest. Set ServerCertificateChain beside this ServerCertificate: an X509Certificate2Collection filled by chain.ImportFromPemFile(\"fullchain.pem\") (intermediates, and the root if it is a private CA)."));
    }

    [TestMethod]
    public async Task PfxLeafOverAConfiguredPfx_ReportsMst3001()
    {
        await AnalyzerAsync(Program, Certificates + "config\tKestrel:Endpoints:Https:Certificate:Path\tcerts/site.pfx\n",
            new DiagnosticResult("MST3001", DiagnosticSeverity.Error).WithLocation(0));
    }

    [TestMethod]
    public async Task SectionThatIsNotAConstant_IsSilent()
    {
        await AnalyzerAsync("""
            var builder = WebApplication.CreateBuilder(args);
            var leaf = X509CertificateLoader.LoadPkcs12FromFile("certs/site.pfx", "pfx-password");
            builder.WebHost.ConfigureKestrel(k => k.Configure(builder.Configuration.GetSection(args[0]))
                .Endpoint("Https", e => e.HttpsOptions.ServerCertificate = leaf));
            """, Certificates);
    }
}

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using static MustStaple.Analyzers.Tests.Verify;

namespace MustStaple.Analyzers.Tests;

/// <summary>
/// The code shapes that never staple on any platform (docs/evidence/kestrel.md#code, rows C-code-selector,
/// C-code-callback-cert(+switch), C-code-callback-context-offline, C-code-onauth-null-context).
/// </summary>
[TestClass]
public sealed class NeverStaplesTests
{
    // Platform unknown on purpose: F5 holds on every platform, and the chain would be complete.
    private static readonly string Facts = Verify.Facts("unknown",
        Ms("certs/chain.pem", "pem", "incomplete", "complete"), "chain certs/chain.pem certs/chain.pem complete",
        Plain("certs/plain.pem", "pem"));

    [TestMethod]
    public async Task ServerCertificateSelector_MustStaple_ReportsMst3007()
    {
        await AnalyzerAsync("""
            var cert = X509Certificate2.CreateFromPemFile("certs/chain.pem", "certs/key.pem");
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(o => {|#0:o.ServerCertificateSelector = (context, name) => cert|}));
            """, Facts,
            new DiagnosticResult("MST3007", DiagnosticSeverity.Error).WithLocation(0)
                .WithMessage("Must-staple certificate 'shop.example' ('certs/chain.pem') is served through ServerCertificateSelector, which never staples: .NET builds a per-handshake context with OCSP fetching off. Set ServerCertificate (+ ServerCertificateChain) instead, or return a cached SslStreamCertificateContext.Create(cert, chain) from a TLS callback."));
    }

    [TestMethod]
    public async Task ServerCertificateSelector_PlainCertificate_IsSilent()
    {
        await AnalyzerAsync("""
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(o => o.ServerCertificateSelector = (context, name) => X509Certificate2.CreateFromPemFile("certs/plain.pem", "certs/plain.key")));
            """, Facts);
    }

    [TestMethod]
    public async Task ServerCertificateSelector_ChosenAtRunTime_ReportsMst0007()
    {
        await AnalyzerAsync("""
            var byName = new System.Collections.Generic.Dictionary<string, X509Certificate2>();
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(o => {|MST0007:o.ServerCertificateSelector = (context, name) => byName[name!]|}));
            """, Facts);
    }

    [TestMethod]
    public async Task TlsHandshakeCallbackReturningBareCertificate_ReportsMst3008()
    {
        await AnalyzerAsync("""
            var cert = X509Certificate2.CreateFromPemFile("certs/chain.pem", "certs/key.pem");
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(5001, l => l.UseHttps(new TlsHandshakeCallbackOptions
            {
                OnConnection = context => new System.Threading.Tasks.ValueTask<SslServerAuthenticationOptions>(
                    new SslServerAuthenticationOptions { {|MST3008:ServerCertificate = cert|} }),
            })));
            """, Facts);
    }

    [TestMethod]
    public async Task OnAuthenticateReplacingTheCertificate_ReportsMst3008()
    {
        await AnalyzerAsync("""
            var cert = X509Certificate2.CreateFromPemFile("certs/chain.pem", "certs/key.pem");
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(o => o.OnAuthenticate = (context, ssl) =>
            {
                ssl.ServerCertificateContext = null;
                {|#0:ssl.ServerCertificate = cert|};
            }));
            """, Facts,
            new DiagnosticResult("MST3008", DiagnosticSeverity.Error).WithLocation(0)
                .WithMessage("Must-staple certificate 'shop.example' ('certs/chain.pem') is set as SslServerAuthenticationOptions.ServerCertificate in OnAuthenticate: .NET then builds a context per handshake and never staples it in time. Set ServerCertificateContext to a cached SslStreamCertificateContext.Create(cert, chain) created once at startup."));
    }

    [TestMethod]
    public async Task CachedContextCreatedOnline_IsSilent()
    {
        await AnalyzerAsync("""
            var cert = X509Certificate2.CreateFromPemFile("certs/chain.pem", "certs/key.pem");
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile("certs/chain.pem");
            var context = SslStreamCertificateContext.Create(cert, chain, offline: false);
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(5001, l => l.UseHttps(new TlsHandshakeCallbackOptions
            {
                OnConnection = _ => new System.Threading.Tasks.ValueTask<SslServerAuthenticationOptions>(
                    new SslServerAuthenticationOptions { ServerCertificateContext = context }),
            })));
            """, Facts);
    }

    [TestMethod]
    public async Task ContextCreatedOffline_ReportsMst3009OnTheArgument()
    {
        await AnalyzerAsync("""
            var cert = X509Certificate2.CreateFromPemFile("certs/chain.pem", "certs/key.pem");
            var context = SslStreamCertificateContext.Create(cert, null, offline: {|MST3009:true|});
            """, Facts);
    }

    [TestMethod]
    public async Task ContextCreatedOffline_PlainCertificate_IsSilent()
    {
        await AnalyzerAsync("""
            var context = SslStreamCertificateContext.Create(X509Certificate2.CreateFromPemFile("certs/plain.pem", "certs/plain.key"), null, offline: true);
            """, Facts);
    }

    [TestMethod]
    public async Task ContextCreatedOffline_CodeFix_PassesOfflineFalse()
    {
        await CodeFixAsync<OfflineContextCodeFix>("""
            var cert = X509Certificate2.CreateFromPemFile("certs/chain.pem", "certs/key.pem");
            var context = SslStreamCertificateContext.Create(cert, null, offline: {|MST3009:true|});
            """, Facts, """
            var cert = X509Certificate2.CreateFromPemFile("certs/chain.pem", "certs/key.pem");
            var context = SslStreamCertificateContext.Create(cert, null, offline: false);
            """);
    }

    [TestMethod]
    public async Task StaplingSwitch_ReportsMst3010()
    {
        await AnalyzerAsync("""
            {|MST3010:AppContext.SetSwitch("System.Net.Security.EnableServerOcspStaplingFromOnlyCertificateOnLinux", true)|};
            """, Facts);
    }

    [TestMethod]
    public async Task OtherSwitch_IsSilent()
    {
        await AnalyzerAsync("""
            AppContext.SetSwitch("System.Net.Security.SomethingElse", true);
            """, Facts);
    }

    [TestMethod]
    public async Task StaplingSwitch_NoMustStapleCertificateInProject_IsSilent()
    {
        await AnalyzerAsync("""
            AppContext.SetSwitch("System.Net.Security.EnableServerOcspStaplingFromOnlyCertificateOnLinux", true);
            """, Verify.Facts("linux", Plain("certs/plain.pem", "pem")));
    }
}

/// <summary>The code fixes (issue 13.3).</summary>
[TestClass]
public sealed class CodeFixTests
{
    private static readonly string Facts = Verify.Facts("unknown", Ms("certs/chain.pem", "pem", "incomplete", "complete"));

    [TestMethod]
    public async Task SelectorReturningOneCertificate_CodeFix_SetsServerCertificate()
    {
        await CodeFixAsync<SelectorCodeFix>("""
            var cert = X509Certificate2.CreateFromPemFile("certs/chain.pem", "certs/key.pem");
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(o => {|MST3007:o.ServerCertificateSelector = (context, name) => cert|}));
            """, Facts, """
            var cert = X509Certificate2.CreateFromPemFile("certs/chain.pem", "certs/key.pem");
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(o => o.ServerCertificate = cert));
            """);
    }

    [TestMethod]
    public async Task SelectorDependingOnTheHostName_HasNoCodeFix()
    {
        await CodeFixAsync<SelectorCodeFix>("""
            var cert = X509Certificate2.CreateFromPemFile("certs/chain.pem", "certs/key.pem");
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(o => {|MST3007:o.ServerCertificateSelector = (context, name) => name == "shop" ? cert : null|}));
            """, Facts, """
            var cert = X509Certificate2.CreateFromPemFile("certs/chain.pem", "certs/key.pem");
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(o => {|MST3007:o.ServerCertificateSelector = (context, name) => name == "shop" ? cert : null|}));
            """);
    }
}

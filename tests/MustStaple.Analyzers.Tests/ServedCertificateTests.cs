using static MustStaple.Analyzers.Tests.Verify;

namespace MustStaple.Analyzers.Tests;

/// <summary>MST3001/MST3002/MST3003/MST3004 for certificates Kestrel gets from code (docs/evidence/kestrel.md#code).</summary>
[TestClass]
public sealed class ServedCertificateTests
{
    private static readonly string PfxIncomplete = Facts("linux", Ms("certs/site.pfx", "pfx", "incomplete", "incomplete"));

    [TestMethod]
    public async Task UseHttpsPfxPath_MustStapleWithoutChain_ReportsMst3001OnTheCall()
    {
        await AnalyzerAsync("""
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(5001, l => {|MST3001:l.UseHttps("certs/site.pfx", "pfx-password")|}));
            """, PfxIncomplete);
    }

    [TestMethod]
    public async Task UseHttpsPfxPath_Message_NamesCertificateCauseAndFix()
    {
        await AnalyzerAsync("""
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(5001, l => l.UseHttps("certs/site.pfx", "pfx-password")));
            """, PfxIncomplete,
            new Microsoft.CodeAnalysis.Testing.DiagnosticResult("MST3001", Microsoft.CodeAnalysis.DiagnosticSeverity.Error)
                .WithSpan("/0/Program.cs", 10, 64, 10, 108)
                .WithMessage("Must-staple certificate 'shop.example' ('certs/site.pfx') served here will never be stapled on Linux: UseHttps(path) loads the PFX with new X509Certificate2 and passes no chain (Kestrel ignores the certificates inside a PFX), and no http caIssuers URL lets Kestrel fetch the rest. Give Kestrel the chain through the options overload of the same call: UseHttps(h => { h.ServerCertificate = X509Certificate2.CreateFromPemFile(\"fullchain.pem\", \"key.pem\"); h.ServerCertificateChain = chain; }), where chain is an X509Certificate2Collection filled by chain.ImportFromPemFile(\"fullchain.pem\")."));
    }

    [TestMethod]
    public async Task UseHttpsPfxPath_NotMustStaple_IsSilent()
    {
        await AnalyzerAsync("""
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(5001, l => l.UseHttps("certs/site.pfx", "pfx-password")));
            """, Facts("linux", Ms("certs/other.pem", "pem", "incomplete", "complete"), Plain("certs/site.pfx", "pfx")));
    }

    [TestMethod]
    public async Task NoFactsFile_IsSilent()
    {
        await AnalyzerAsync("""
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(5001, l => l.UseHttps("certs/site.pfx", "pfx-password")));
            """, facts: null);
    }

    [TestMethod]
    public async Task ProjectWithoutMustStapleCertificate_StoreCertificate_IsSilent()
    {
        await AnalyzerAsync("""
            var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(5001, l => l.UseHttps(store.Certificates.Find(X509FindType.FindBySubjectName, "shop", false)[0])));
            """, Facts("linux", Plain("certs/site.pfx", "pfx")));
    }

    [TestMethod]
    public async Task PathCombineOfBaseDirectoryAndConstants_ResolvesToTheProjectFile()
    {
        await AnalyzerAsync("""
            const string Folder = "certs";
            var path = Path.Combine(AppContext.BaseDirectory, Folder, "site.pfx");
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(5001, l => {|MST3001:l.UseHttps(path, "pfx-password")|}));
            """, PfxIncomplete);
    }

    [TestMethod]
    public async Task PathReadFromTheEffectiveConfiguration_ResolvesThroughTheFacts()
    {
        await AnalyzerAsync("""
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(5001, l => {|MST3001:l.UseHttps(builder.Configuration["Kestrel:Certificates:Default:Path"]!, "pfx-password")|}));
            """, PfxIncomplete + "config\tKestrel:Certificates:Default:Path\tcerts/site.pfx\n");
    }

    [TestMethod]
    public async Task UseHttpsCertificateLoadedFromPemChain_LeafOnly_ReportsMst3001()
    {
        await AnalyzerAsync("""
            var cert = X509Certificate2.CreateFromPemFile("certs/chain.pem", "certs/key.pem");
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(5001, l => {|MST3001:l.UseHttps(cert)|}));
            """, Facts("linux", Ms("certs/chain.pem", "pem", "incomplete", "complete")));
    }

    [TestMethod]
    public async Task UseHttpsCertificate_Message_FixUsesTheOptionsOverload_NotKestrelServerOptions()
    {
        await AnalyzerAsync("""
            var cert = X509Certificate2.CreateFromPemFile("certs/chain.pem", "certs/key.pem");
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(5001, l => {|#0:l.UseHttps(cert)|}));
            """, Facts("linux", Ms("certs/chain.pem", "pem", "incomplete", "complete")),
            new Microsoft.CodeAnalysis.Testing.DiagnosticResult("MST3001", Microsoft.CodeAnalysis.DiagnosticSeverity.Error).WithLocation(0)
                .WithMessage("Must-staple certificate 'shop.example' ('certs/chain.pem') served here will never be stapled on Linux: UseHttps(certificate) gives Kestrel the leaf without ServerCertificateChain, and no http caIssuers URL lets Kestrel fetch the rest. UseHttps(certificate) cannot pass a chain: use UseHttps(h => { h.ServerCertificate = certificate; h.ServerCertificateChain = chain; }), where chain is an X509Certificate2Collection filled by chain.ImportFromPemFile(\"fullchain.pem\") (intermediates, and the root if it is a private CA)."));
    }

    [TestMethod]
    public async Task ServerCertificateWithoutChain_Message_FixSetsTheChainBesideIt()
    {
        await AnalyzerAsync("""
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(h =>
            {
                {|#0:h.ServerCertificate = X509Certificate2.CreateFromPemFile("certs/chain.pem", "certs/key.pem")|};
            }));
            """, Facts("linux", Ms("certs/chain.pem", "pem", "incomplete", "complete")),
            new Microsoft.CodeAnalysis.Testing.DiagnosticResult("MST3001", Microsoft.CodeAnalysis.DiagnosticSeverity.Error).WithLocation(0)
                .WithMessage("Must-staple certificate 'shop.example' ('certs/chain.pem') served here will never be stapled on Linux: ServerCertificate gives Kestrel the leaf without ServerCertificateChain, and no http caIssuers URL lets Kestrel fetch the rest. Set ServerCertificateChain beside this ServerCertificate: an X509Certificate2Collection filled by chain.ImportFromPemFile(\"fullchain.pem\") (intermediates, and the root if it is a private CA)."));
    }

    [TestMethod]
    public async Task ServerCertificateWithChainImportedFromTheChainFile_IsSilent()
    {
        await AnalyzerAsync("""
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile("certs/chain.pem");
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(5001, l => l.UseHttps(o =>
            {
                o.ServerCertificate = X509Certificate2.CreateFromPemFile("certs/chain.pem", "certs/key.pem");
                o.ServerCertificateChain = chain;
            })));
            """, Facts("linux", Ms("certs/chain.pem", "pem", "incomplete", "complete"), "chain certs/chain.pem certs/chain.pem complete"));
    }

    [TestMethod]
    public async Task ServerCertificateWithChainThatStopsShort_ReportsMst3001NamingTheChainFile()
    {
        await AnalyzerAsync("""
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile("certs/intermediate-only.pem");
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(o =>
            {
                {|#0:o.ServerCertificate = X509Certificate2.CreateFromPemFile("certs/leaf.pem", "certs/key.pem")|};
                o.ServerCertificateChain = chain;
            }));
            """, Facts("linux", Ms("certs/leaf.pem", "pem", "incomplete", "incomplete"), "chain certs/leaf.pem certs/intermediate-only.pem incomplete"),
            new Microsoft.CodeAnalysis.Testing.DiagnosticResult("MST3001", Microsoft.CodeAnalysis.DiagnosticSeverity.Error).WithLocation(0)
                .WithMessage("Must-staple certificate 'shop.example' ('certs/leaf.pem') served here will never be stapled on Linux: the ServerCertificateChain from 'certs/intermediate-only.pem' does not lead to a self-signed root or a public root of the image, and no http caIssuers URL lets Kestrel fetch the rest. Append the missing intermediate(s) (and the root, if it is a private CA) to 'certs/intermediate-only.pem'."));
    }

    [TestMethod]
    public async Task LeafWithCaIssuers_ReportsMst3002()
    {
        await AnalyzerAsync("""
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(5001, l => {|MST3002:l.UseHttps(X509CertificateLoader.LoadPkcs12FromFile("certs/site.pfx", "pfx-password"))|}));
            """, Facts("linux", Ms("certs/site.pfx", "pfx", "download", "download")));
    }

    [TestMethod]
    public async Task MacOSTarget_ReportsMst3003()
    {
        await AnalyzerAsync("""
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(5001, l => {|MST3003:l.UseHttps("certs/site.pfx", "pfx-password")|}));
            """, Facts("osx", Ms("certs/site.pfx", "pfx", "complete", "complete")));
    }

    [TestMethod]
    public async Task WindowsTarget_ReportsMst3004()
    {
        await AnalyzerAsync("""
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(5001, l => {|MST3004:l.UseHttps("certs/site.pfx", "pfx-password")|}));
            """, Facts("windows", Ms("certs/site.pfx", "pfx", "complete", "complete")));
    }

    [TestMethod]
    public async Task UnknownPlatform_ChainVerdictIsNotApplied()
    {
        await AnalyzerAsync("""
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(5001, l => l.UseHttps("certs/site.pfx", "pfx-password")));
            """, Facts("unknown", Ms("certs/site.pfx", "pfx", "incomplete", "incomplete")));
    }

    [TestMethod]
    public async Task PragmaWarningDisable_SuppressesTheError()
    {
        await AnalyzerAsync("""
            var builder = WebApplication.CreateBuilder(args);
            #pragma warning disable MST3001 // the chain is added by the image at deploy time
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(5001, l => l.UseHttps("certs/site.pfx", "pfx-password")));
            #pragma warning restore MST3001
            """, PfxIncomplete);
    }
}

/// <summary>Code the analyzer meets while it is being typed: never an exception (AD0001), never a finding on broken code.</summary>
[TestClass]
public sealed class IncompleteCodeTests
{
    [TestMethod]
    public async Task HalfTypedCalls_ReportOnlyCompilerErrors()
    {
        await AnalyzerAsync("""
            var cert = X509Certificate2.{|CS7036:CreateFromPemFile|}();
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(5001, l => l.{|CS1501:UseHttps|}(cert, 1, 2, 3, 4, 5, 6, 7)));
            """, Facts("linux", Ms("certs/site.pfx", "pfx", "incomplete", "incomplete")));
    }
}

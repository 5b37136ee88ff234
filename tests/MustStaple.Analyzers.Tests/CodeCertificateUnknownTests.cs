using static MustStaple.Analyzers.Tests.Verify;

namespace MustStaple.Analyzers.Tests;

/// <summary>MST0007: a certificate in code that cannot be known, in a project that has a must-staple certificate.</summary>
[TestClass]
public sealed class CodeCertificateUnknownTests
{
    private static readonly string Facts = Verify.Facts("linux", Ms("certs/site.pfx", "pfx", "incomplete", "incomplete"));

    [TestMethod]
    public async Task StoreCertificate_ReportsMst0007Note()
    {
        await AnalyzerAsync("""
            using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(5001, l => {|#0:l.UseHttps(store.Certificates.Find(X509FindType.FindBySubjectName, "shop", false)[0])|}));
            """, Facts,
            new Microsoft.CodeAnalysis.Testing.DiagnosticResult("MST0007", Microsoft.CodeAnalysis.DiagnosticSeverity.Info).WithLocation(0)
                .WithMessage("The certificate served by UseHttps(certificate) is a certificate store: whether it is must-staple, and so whether it will be stapled, cannot be checked at build time"));
    }

    [TestMethod]
    public async Task PathFromConfiguration_ReportsMst0007Note()
    {
        await AnalyzerAsync("""
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(5001, l => {|MST0007:l.UseHttps(builder.Configuration["CertPath"]!, "pfx-password")|}));
            """, Facts);
    }

    [TestMethod]
    public async Task LockedPfx_ReportsMst0007Note()
    {
        await AnalyzerAsync("""
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(5001, l => {|MST0007:l.UseHttps("certs/locked.pfx", Environment.GetEnvironmentVariable("PFX_PASSWORD"))|}));
            """, Facts + "cert\tcerts/locked.pfx\tlocked\n");
    }

    [TestMethod]
    public async Task ResolvedCertificate_IsNoNote()
    {
        await AnalyzerAsync("""
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(5001, l => l.UseHttps("certs/plain.pfx", "pfx-password")));
            """, Facts + "cert\tcerts/plain.pfx\tpfx\tplain\tunstapleable\tincomplete\tincomplete\tplain\n");
    }

    [TestMethod]
    public async Task StoreCertificateInOnAuthenticate_NoteNamesTheShape()
    {
        await AnalyzerAsync("""
            using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(o => o.OnAuthenticate = (context, ssl) =>
            {
                {|#0:ssl.ServerCertificate = store.Certificates[0]|};
            }));
            """, Facts,
            new Microsoft.CodeAnalysis.Testing.DiagnosticResult("MST0007", Microsoft.CodeAnalysis.DiagnosticSeverity.Info).WithLocation(0)
                .WithMessage("The certificate served by SslServerAuthenticationOptions.ServerCertificate in OnAuthenticate is a certificate store: whether it is must-staple, and so whether it will be stapled, cannot be checked at build time"));
    }
}

using System.Text.RegularExpressions;
using MustStaple.Testing;

namespace MustStaple.EndToEnd.Tests;

/// <summary>
/// The analyzer inside the packed MustStaple.Build package, in real `dotnet build`s of apps that configure Kestrel in
/// Program.cs (issue 13): copied outside the repository with a local-feed nuget.config and their own package cache.
/// </summary>
[TestClass]
public sealed class AnalyzerPackageTests
{
    private static string _work = null!;
    private static string _packages = null!;

    // The suite's one pack (Feed), not a second `dotnet pack src/MustStaple.Build` racing it in the same obj/ folders.
    [ClassInitialize]
    public static void PackOnce(TestContext _)
    {
        Feed.EnsurePacked();
        _work = Directory.CreateDirectory(Path.Combine(Feed.Work, "analyzer")).FullName;
        _packages = Feed.Packages;
    }

    [TestMethod]
    [Timeout(900_000, CooperativeCancellation = true)]
    public void MustStaplePfxInProgramCs_Build_FailsWithMst3001OnTheProgramCsLine_AndNoWarnLetsItPass()
    {
        // arrange: the sample's must-staple PFX, configured only in code (the password too)
        var app = App("""
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(kestrel =>
                kestrel.ListenAnyIP(8443, listen => listen.UseHttps("certs/site.pfx", "sample-password")));
            var app = builder.Build();
            app.Run();
            """);

        // act
        var (code, output) = Sdk.Run(app, "build -nologo", _packages);
        var (noWarnCode, noWarnOutput) = Sdk.Run(app, "build -nologo -p:NoWarn=MST3001", _packages);

        // assert
        Assert.AreNotEqual(0, code, output);
        StringAssert.Contains(output, "Program.cs(3,41): error MST3001: Must-staple certificate 'shop.sample.invalid' ('certs/site.pfx') served here will never be stapled on Linux");
        Assert.AreEqual(0, noWarnCode, noWarnOutput);
        Assert.DoesNotContain("MST", noWarnOutput, "the lint opened the PFX with the password from Program.cs: no MST0002 either");
        var facts = Directory.GetFiles(Path.Combine(app, "obj"), "muststaple.codefacts.txt", SearchOption.AllDirectories).Single();
        Assert.DoesNotContain("sample-password", File.ReadAllText(facts));
    }

    [TestMethod]
    [Timeout(900_000, CooperativeCancellation = true)]
    public void PlainPfxInProgramCs_Build_PassesWithoutAnyFinding()
    {
        // arrange: a PFX that is not must-staple, its password only in code
        var root = new CertificateBuilder("Plain Root").AsCa().Build();
        var leaf = new CertificateBuilder("plain.sample.invalid").Ocsp("http://ocsp.sample.invalid").IssuedBy(root).Build();
        var app = App("""
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(kestrel =>
                kestrel.ListenAnyIP(8443, listen => listen.UseHttps("certs/site.pfx", "plain-code-password")));
            builder.Build().Run();
            """);
        File.WriteAllBytes(Path.Combine(app, "certs", "site.pfx"), leaf.ToPfx("plain-code-password", root));

        // act
        var (code, output) = Sdk.Run(app, "build -nologo", _packages);

        // assert
        Assert.AreEqual(0, code, output);
        Assert.DoesNotContain("MST", output);
    }

    [TestMethod]
    [Timeout(900_000, CooperativeCancellation = true)]
    public void NeverStaplingShapes_Build_ReportEachOnItsLine_AndEditorConfigSeveritiesApply()
    {
        // arrange: a must-staple PEM chain that would staple through ServerCertificate, used in the shapes that never do
        var root = new CertificateBuilder("Shapes Root").AsCa().Build();
        var intermediate = new CertificateBuilder("Shapes Issuing CA").AsCa().IssuedBy(root).Build();
        var leaf = new CertificateBuilder("shapes.sample.invalid").MustStaple().Ocsp("http://ocsp.sample.invalid").IssuedBy(intermediate).Build();
        var app = App("""
            using System.Net.Security;
            using System.Security.Cryptography.X509Certificates;
            using Microsoft.AspNetCore.Server.Kestrel.Https;

            var cert = X509Certificate2.CreateFromPemFile("certs/chain.pem", "certs/key.pem");
            var offline = SslStreamCertificateContext.Create(cert, null, offline: true);
            AppContext.SetSwitch("System.Net.Security.EnableServerOcspStaplingFromOnlyCertificateOnLinux", true);
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.ConfigureHttpsDefaults(o => o.ServerCertificateSelector = (context, name) => cert);
                kestrel.ListenAnyIP(8444, l => l.UseHttps(new TlsHandshakeCallbackOptions
                {
                    OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions { ServerCertificate = cert }),
                }));
            });
            builder.Build().Run();
            """);
        File.Delete(Path.Combine(app, "certs", "site.pfx"));
        File.WriteAllText(Path.Combine(app, "certs", "chain.pem"), TestCertificate.PemChain(leaf, intermediate, root));
        File.WriteAllText(Path.Combine(app, "certs", "key.pem"), leaf.KeyPem);
        File.WriteAllText(Path.Combine(app, ".editorconfig"), "root = true\n[*.cs]\ndotnet_diagnostic.MST3010.severity = none\ndotnet_diagnostic.MST3009.severity = warning\n");

        // act
        var (code, output) = Sdk.Run(app, "build -nologo", _packages);

        // assert
        Assert.AreNotEqual(0, code, output);
        var findings = Regex.Matches(output, @"Program\.cs\((?<line>\d+),\d+\): (?<level>error|warning) (?<id>MST\d{4})")
            .Select(m => $"{m.Groups["id"].Value} {m.Groups["level"].Value} {m.Groups["line"].Value}").Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.AreEqual("MST3007 error 11 | MST3008 error 14 | MST3009 warning 6", string.Join(" | ", findings), output);
    }

    [TestMethod]
    [Timeout(900_000, CooperativeCancellation = true)]
    public void PlatformSwitchedThroughDirectoryBuildPropsAndTheCommandLine_TheVerdictInProgramCsFollowsEachTime()
    {
        // arrange: a must-staple PFX configured in code; the project deploys to linux-x64
        var app = App("""
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(kestrel =>
                kestrel.ListenAnyIP(8443, listen => listen.UseHttps("certs/site.pfx", "sample-password")));
            builder.Build().Run();
            """);
        var props = Path.Combine(app, "Directory.Build.props");
        string Verdict(string args = "")
        {
            var (_, output) = Sdk.Run(app, "build -nologo " + args, _packages);
            var ids = Regex.Matches(output, @"Program\.cs\(3,41\): (?:error|warning) (MST300\d)").Select(m => m.Groups[1].Value).Distinct().ToList();
            Assert.HasCount(1, ids, output);
            return ids[0];
        }

        // act and assert: each switch, and each switch back, changes what the analyzer says about line 3
        Assert.AreEqual("MST3001", Verdict(), "Linux (the RuntimeIdentifier)");
        File.WriteAllText(props, "<Project><PropertyGroup><MustStapleTargetOS>windows</MustStapleTargetOS></PropertyGroup></Project>");
        Assert.AreEqual("MST3004", Verdict(), "windows from Directory.Build.props");
        File.Delete(props);
        Assert.AreEqual("MST3001", Verdict(), "Directory.Build.props gone: Linux again");
        Assert.AreEqual("MST3003", Verdict("-p:MustStapleTargetOS=osx"), "osx on the command line");
        Assert.AreEqual("MST3001", Verdict(), "back to a plain build: Linux again");
        File.WriteAllText(props, "<Project><PropertyGroup><MustStapleTargetOS>windows</MustStapleTargetOS></PropertyGroup></Project>");
        Assert.AreEqual("MST3003", Verdict("-p:MustStapleTargetOS=osx"), "the command line wins over Directory.Build.props");
        Assert.AreEqual("MST3004", Verdict(), "Directory.Build.props again");
    }

    [TestMethod]
    [Timeout(900_000, CooperativeCancellation = true)]
    public void RoundThreeShapes_Build_ReportEachOnItsLine_AndTheConfiguredEndpointChainIsSilent()
    {
        // arrange: docs/evidence/kestrel.md#round3 items 8-11 in one Program.cs — a context per handshake, CreateFromPem of the chain
        // text, a PFX path from an app configuration key, and an Endpoint callback over a configured PEM full chain.
        var root = new CertificateBuilder("Round3 Root").AsCa().Build();
        var intermediate = new CertificateBuilder("Round3 Issuing CA").AsCa().IssuedBy(root).Build();
        var leaf = new CertificateBuilder("round3.sample.invalid").MustStaple().Ocsp("http://ocsp.sample.invalid").IssuedBy(intermediate).Build();
        var app = App("""
            using System.Net.Security;
            using System.Security.Cryptography.X509Certificates;
            using Microsoft.AspNetCore.Server.Kestrel.Https;

            var builder = WebApplication.CreateBuilder(args);
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile("certs/chain.pem");
            var cert = X509Certificate2.CreateFromPemFile("certs/chain.pem", "certs/key.pem");
            var pfxLeaf = X509CertificateLoader.LoadPkcs12FromFile("certs/site.pfx", "code-password");
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.Configure(builder.Configuration.GetSection("Kestrel")).Endpoint("Https", e => e.HttpsOptions.ServerCertificate = pfxLeaf);
                kestrel.ListenAnyIP(8444, l => l.UseHttps(new TlsHandshakeCallbackOptions
                {
                    OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions
                    {
                        ServerCertificateContext = SslStreamCertificateContext.Create(cert, chain, offline: false),
                    }),
                }));
                kestrel.ListenAnyIP(8445, l => l.UseHttps(X509Certificate2.CreateFromPem(File.ReadAllText("certs/chain.pem"), File.ReadAllText("certs/key.pem"))));
                kestrel.ListenAnyIP(8446, l => l.UseHttps(builder.Configuration["CertPath"]!, "code-password"));
            });
            builder.Build().Run();
            """);
        File.WriteAllBytes(Path.Combine(app, "certs", "site.pfx"), leaf.ToPfx("code-password", intermediate, root));
        File.WriteAllText(Path.Combine(app, "certs", "chain.pem"), TestCertificate.PemChain(leaf, intermediate, root));
        File.WriteAllText(Path.Combine(app, "certs", "key.pem"), leaf.KeyPem);
        File.WriteAllText(Path.Combine(app, "appsettings.json"), """
            { "CertPath": "certs/site.pfx",
              "Kestrel": { "Endpoints": { "Https": { "Url": "https://0.0.0.0:8443", "Certificate": { "Path": "certs/chain.pem", "KeyPath": "certs/key.pem" } } } } }
            """);

        // act
        var (code, output) = Sdk.Run(app, "build -nologo", _packages);

        // assert: line 12 (the Endpoint callback over the configured chain) is silent
        Assert.AreNotEqual(0, code, output);
        var findings = Regex.Matches(output, @"Program\.cs\((?<line>\d+),\d+\): (?<level>error|warning) (?<id>MST\d{4})")
            .Select(m => $"{m.Groups["id"].Value} {m.Groups["level"].Value} {m.Groups["line"].Value}").Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.AreEqual("MST3001 error 20 | MST3001 error 21 | MST3011 error 17", string.Join(" | ", findings), output);
        var others = output.Split('\n').Where(l => Regex.IsMatch(l, @"\bMST\d{4}\b") && !l.Contains("Program.cs(", StringComparison.Ordinal)).ToList();
        Assert.IsEmpty(others, "no other finding: the configuration itself staples\n" + output);
        var facts = Directory.GetFiles(Path.Combine(app, "obj"), "muststaple.codefacts.txt", SearchOption.AllDirectories).Single();
        StringAssert.Contains(File.ReadAllText(facts), "config\tCertPath\tcerts/site.pfx");
        Assert.DoesNotContain("code-password", File.ReadAllText(facts));
    }

    private static string App(string program)
    {
        var target = Directory.CreateDirectory(Path.Combine(_work, "app-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var sample = Path.Combine(Sdk.RepoRoot, "samples", "WebApp.Pfx");
        File.Copy(Path.Combine(sample, "WebApp.Pfx.csproj"), Path.Combine(target, "WebApp.Code.csproj"));
        Directory.CreateDirectory(Path.Combine(target, "certs"));
        File.Copy(Path.Combine(sample, "certs", "site.pfx"), Path.Combine(target, "certs", "site.pfx"));
        File.WriteAllText(Path.Combine(target, "appsettings.json"), "{ \"Logging\": { \"LogLevel\": { \"Default\": \"Information\" } } }");
        File.WriteAllText(Path.Combine(target, "Program.cs"), program);
        Feed.PrepareFolder(target);
        return target;
    }
}

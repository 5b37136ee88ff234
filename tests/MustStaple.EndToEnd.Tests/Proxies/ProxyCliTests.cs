using System.Diagnostics;
using MustStaple.Testing;

namespace MustStaple.EndToEnd.Tests.Proxies;

/// <summary>The CLI on a repository with no .NET project at all: an nginx configuration and its certificates.</summary>
[TestClass]
public sealed class ProxyCliTests
{
    private static readonly TestCertificate Root = new CertificateBuilder("Cli Proxy Root").AsCa().Build();
    private static readonly TestCertificate Intermediate = new CertificateBuilder("Cli Proxy Issuing CA").AsCa().IssuedBy(Root).Build();
    private static readonly TestCertificate Leaf = new CertificateBuilder("shop.example").MustStaple().Ocsp("http://127.0.0.1:9/ocsp").IssuedBy(Intermediate).Build();

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public void NginxOnlyRepository_StaplingOff_Exits1WithTheConfigLine_AndSarifPointsAtTheCertificate()
    {
        using var dir = new TempDir();
        dir.Write("deploy/nginx/certs/fullchain.pem", TestCertificate.PemChain(Leaf, Intermediate));
        dir.Write("deploy/nginx/conf.d/shop.conf", "server {\n    listen 443 ssl;\n    server_name shop.example;\n    ssl_certificate /etc/nginx/certs/fullchain.pem;\n}\n");

        var (code, output) = Run(dir.Root, ". --now 2026-01-15T00:00:00Z --sarif out.sarif");
        var sarif = File.ReadAllText(Path.Combine(dir.Root, "out.sarif"));

        Assert.AreEqual(1, code, output);
        StringAssert.Contains(output, "deploy/nginx/conf.d/shop.conf(4,21): error MST4001:", output);
        StringAssert.Contains(sarif, "\"ruleId\": \"MST4001\"");
        StringAssert.Contains(sarif, "deploy/nginx/certs/fullchain.pem");
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public void NginxOnlyRepository_WithValidStapleFile_Exits0()
    {
        using var dir = new TempDir();
        dir.Write("nginx/certs/fullchain.pem", TestCertificate.PemChain(Leaf, Intermediate));
        dir.Write("nginx/certs/ocsp.der", OcspResponses.For(Leaf, Intermediate, TestClock.Now.AddHours(-1), TestClock.Now.AddDays(3)));
        dir.Write("nginx/nginx.conf", "events {}\nhttp {\n    ssl_stapling on;\n    server {\n        listen 443 ssl;\n        ssl_certificate certs/fullchain.pem;\n        ssl_stapling_file certs/ocsp.der;\n    }\n}\n");

        var (code, output) = Run(dir.Root, ". --now 2026-01-15T00:00:00Z");

        Assert.AreEqual(0, code, output);
        Assert.DoesNotContain("error MST", output);
        Assert.DoesNotContain("warning MST", output);
        StringAssert.Contains(output, "nginx/nginx.conf(7,27): info MST4008:", output);
    }

    private static (int Code, string Output) Run(string cwd, string args)
    {
        var psi = new ProcessStartInfo("dotnet", $"\"{CliTests.Tool}\" {args}") { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        Sdk.PinEnglish(psi);
        psi.Environment.Remove("GITHUB_ACTIONS");
        psi.Environment.Remove("CI");
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

using System.Diagnostics;
using System.Runtime.InteropServices;
using MustStaple.Testing;

namespace MustStaple.EndToEnd.Tests;

/// <summary>
/// The Native AOT build of the CLI (`dotnet publish src/MustStaple.Lint -c Release -r linux-x64`) is trimmed and
/// compiled ahead of time; it must say exactly what the JIT-compiled tool says, byte for byte, SARIF included.
/// </summary>
[TestClass]
public sealed class NativeCliTests
{
    private const string Secret = "aot-Pa55word-never-printed";
    private static string? _native;
    private static string _skipReason = "Native AOT is published for linux-x64 only in this suite";

    [ClassInitialize]
    public static void Publish(TestContext _)
    {
        if (RuntimeInformation.RuntimeIdentifier != "linux-x64") return;
        if (!Sdk.HasCToolchain())
        {
            _skipReason = "no native toolchain for Native AOT (install clang or gcc and zlib1g-dev)";
            return;
        }
        // The Native AOT build the tool package carries (packed once for the whole run): no second publish of the same code.
        Feed.EnsurePacked();
        _native = Directory.GetFiles(Path.Combine(Feed.Tools, ".store"), "dotnet-muststaple-lint", SearchOption.AllDirectories)
            .SingleOrDefault(f => f.Contains($"{Path.DirectorySeparatorChar}native{Path.DirectorySeparatorChar}linux-x64{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        Assert.IsNotNull(_native, "the tool package carries native/linux-x64/dotnet-muststaple-lint");
        Assert.IsFalse(File.Exists(Path.ChangeExtension(_native, ".dll")), "expected a native executable, not IL");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(_native, File.GetUnixFileMode(_native) | UnixFileMode.UserExecute);
    }

    [TestMethod]
    public void MixedFolder_NativeAndJit_AgreeByteForByte()
    {
        if (_native is null) Assert.Inconclusive(_skipReason);
        using var dir = new TempDir();
        var root = new CertificateBuilder("Root").AsCa().Build();
        var issuing = new CertificateBuilder("Issuing").AsCa().IssuedBy(root).Build();
        var leaf = new CertificateBuilder("shop.example").MustStaple().IssuedBy(issuing).Ocsp("http://ocsp.example").Build();
        dir.Write("certs/chain.pem", TestCertificate.PemChain(leaf, issuing));
        dir.Write("certs/modern.pfx", leaf.ToModernPfx(Secret, issuing, root));
        dir.Write("certs/legacy.pfx", leaf.ToPfx(Secret, issuing, root));
        dir.Write("certs/locked.pfx", leaf.ToModernPfx("unknown-password"));
        dir.Write("certs/leaf.der", new CertificateBuilder("no-ocsp").MustStaple().Build().Der);
        dir.Write("certs/broken.pem", leaf.Pem[..120]);
        dir.Write("certs/site.csr", RequestBuilder.CsrPem("shop.example", mustStaple: true));
        dir.Write("App/App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><PropertyGroup><TargetFramework>net10.0</TargetFramework><RuntimeIdentifier>linux-x64</RuntimeIdentifier></PropertyGroup></Project>\n");
        dir.Write("App/appsettings.json", $$"""
            {
              "Kestrel": {
                "Endpoints": {
                  "Pem": { "Url": "https://*:443", "Certificate": { "Path": "../certs/chain.pem", "KeyPath": "/run/secrets/k.pem" } },
                  "Pfx": { "Url": "https://*:8443", "Certificate": { "Path": "../certs/modern.pfx", "Password": "{{Secret}}" } }
                }
              }
            }
            """);

        // YAML (YamlDotNet's parser) in the native build too: a compose volume mapping a container path to certs/.
        dir.Write("App/compose.yaml", "services:\n  web:\n    image: mcr.microsoft.com/dotnet/aspnet:10.0\n    volumes:\n      - ../certs:/https\n    environment:\n"
            + "      Kestrel__Endpoints__Yaml__Url: https://*:9443  # a comment, not part of the value\n"
            + "      Kestrel__Endpoints__Yaml__Certificate__Path: /https/chain.pem\n");

        var jit = Run("dotnet", $"\"{CliTests.Tool}\"", dir.Root, "jit.sarif");
        var native = Run(_native, "", dir.Root, "native.sarif");

        Assert.AreEqual(1, jit.Code, jit.Output);
        Assert.AreEqual(jit.Code, native.Code);
        Assert.AreEqual(jit.Output, native.Output);
        CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(dir.Root, "jit.sarif")), File.ReadAllBytes(Path.Combine(dir.Root, "native.sarif")));
        foreach (var id in new[] { "MST0001", "MST0005", "MST1001", "MST1007", "MST3001" })
            StringAssert.Contains(native.Output, id);
        StringAssert.Contains(native.Output, "compose.yaml(8,52): error MST3001");
        Assert.DoesNotContain(Secret, native.Output);
        Assert.DoesNotContain(Secret, File.ReadAllText(Path.Combine(dir.Root, "native.sarif")));
    }

    [TestMethod]
    public void Samples_NativeAndJit_Agree()
    {
        if (_native is null) Assert.Inconclusive(_skipReason);
        foreach (var sample in new[] { "WebApp.Pfx", "WebApp.PemChain", "certificates" })
        {
            var folder = Path.Combine(Sdk.RepoRoot, "samples", sample);
            var jit = Run("dotnet", $"\"{CliTests.Tool}\"", folder, null);
            var native = Run(_native, "", folder, null);
            Assert.AreEqual((jit.Code, jit.Output), (native.Code, native.Output), sample);
        }
    }

    [TestMethod]
    public void Japanese_NativeCarriesTheSatellites_AndAgreesWithJit()
    {
        if (_native is null) Assert.Inconclusive(_skipReason);
        var folder = Path.Combine(Sdk.RepoRoot, "samples", "certificates");
        using var dir = new TempDir();

        var jit = Run("dotnet", $"\"{CliTests.Tool}\"", folder, Path.Combine(dir.Root, "jit.sarif"), " --lang ja");
        var native = Run(_native, "", folder, Path.Combine(dir.Root, "native.sarif"), " --lang ja");
        var english = Run(_native, "", folder, null);

        Assert.AreEqual((jit.Code, jit.Output), (native.Code, native.Output));
        StringAssert.Contains(native.Output, "muststaple-lint: エラー ", "the summary line in Japanese");
        Assert.MatchesRegex(@"MST\d{4}: [^\n]*[\u3040-\u30FF]", native.Output, "a message in Japanese");
        Assert.AreNotEqual(english.Output, native.Output);
        CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(dir.Root, "jit.sarif")), File.ReadAllBytes(Path.Combine(dir.Root, "native.sarif")));
        StringAssert.Contains(File.ReadAllText(Path.Combine(dir.Root, "native.sarif")), "\"language\": \"ja\"");
    }

    private static (int Code, string Output) Run(string program, string prefix, string cwd, string? sarif, string extra = "")
    {
        var args = $"{prefix} . --now 2026-01-15" + (sarif is null ? "" : $" --sarif {sarif}") + extra;
        var psi = new ProcessStartInfo(program, args.Trim()) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        Sdk.PinEnglish(psi);
        psi.Environment.Remove("GITHUB_ACTIONS");
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.IsTrue(p.WaitForExit(60_000), $"{program} did not finish in 60 s");
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}

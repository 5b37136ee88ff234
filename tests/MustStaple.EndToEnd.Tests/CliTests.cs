using System.Diagnostics;
using MustStaple.Testing;

namespace MustStaple.EndToEnd.Tests;

/// <summary>The CLI contract: canonical lines, exact findings, exit codes 0/1/2, no secret in any output.</summary>
[TestClass]
public sealed class CliTests
{
    private const string Secret = "pa55-Word-never-printed";

    internal static readonly string Tool = Path.Combine(
        AppContext.BaseDirectory.Replace("MustStaple.EndToEnd.Tests", "MustStaple.Lint"), "dotnet-muststaple-lint.dll");

    [TestMethod]
    public void MixedFolder_ReportsExactlyTheExpectedFindings_Exits1_AndNeverPrintsThePassword()
    {
        using var dir = new TempDir();
        var root = new CertificateBuilder("Root").AsCa().Build();
        var leaf = new CertificateBuilder("shop").MustStaple().IssuedBy(root).Build();
        dir.Write("no-ocsp.pem", "# bundle\n" + TestCertificate.PemChain(root, leaf)); // leaf block starts on line 2 + root's lines
        dir.Write("truncated.pem", leaf.Pem[..100]);
        dir.Write("locked.pfx", leaf.ToPfx(Secret, root));
        dir.Write("site.csr", RequestBuilder.CsrPem("shop", mustStaple: true));
        dir.Write("ok.crt", new CertificateBuilder("ok").MustStaple().Ocsp("http://ocsp.example").Build().Pem);
        dir.Write("bin/ignored.pem", leaf.Pem);
        var leafLine = 2 + root.Pem.Split('\n').Length - 1;

        var (code, output) = Run(dir.Root, ". --now 2026-01-15");

        Assert.AreEqual(1, code, output);
        var lines = output.Split('\n').Where(l => l.Contains(": error MST") || l.Contains(": warning MST") || l.Contains(": info MST")).Select(l => l.Trim()).ToList();
        CollectionAssert.AreEqual(new[]
        {
            "locked.pfx(1,1): info MST0005", // nothing serves it: a note, not a warning
            $"no-ocsp.pem({leafLine},1): error MST1001",
            "site.csr(1,1): info MST1007",
            "truncated.pem(1,1): warning MST0001",
        }, lines.Select(l => l[..l.IndexOf(':', l.IndexOf("MST", StringComparison.Ordinal))]).ToArray(), output);
        Assert.DoesNotContain(Secret, output);
    }

    [TestMethod]
    public void PasswordFromEnvironment_OpensThePfx_AndIsNeverPrinted()
    {
        using var dir = new TempDir();
        var leaf = new CertificateBuilder("shop").MustStaple().Build();
        dir.Write("site.pfx", leaf.ToPfx(Secret));

        var (code, output) = Run(dir.Root, ". --pfx-password-env SITE_PFX --sarif out.sarif", ("SITE_PFX", Secret));

        Assert.AreEqual(1, code, output);
        StringAssert.Contains(output, "site.pfx(1,1): error MST1001");
        Assert.DoesNotContain(Secret, output);
        Assert.DoesNotContain(Secret, File.ReadAllText(Path.Combine(dir.Root, "out.sarif")));
    }

    [TestMethod]
    public void WrongPasswordFromEnvironment_LocksThePfx_AndNeitherPasswordReachesConsoleOrSarif()
    {
        using var dir = new TempDir();
        var leaf = new CertificateBuilder("shop").MustStaple().Build();
        dir.Write("site.pfx", leaf.ToModernPfx(Secret));
        const string wrong = "env-supplied-Wr0ng-password";

        var (code, output) = Run(dir.Root, ". --pfx-password-env SITE_PFX --sarif out.sarif", ("SITE_PFX", wrong));
        var sarif = File.ReadAllText(Path.Combine(dir.Root, "out.sarif"));

        Assert.AreEqual(0, code, output); // MST0005 is a note: no configuration serves the file
        StringAssert.Contains(output, "site.pfx(1,1): info MST0005");
        StringAssert.Contains(sarif, "MST0005");
        foreach (var text in new[] { output, sarif })
        {
            Assert.DoesNotContain(Secret, text);
            Assert.DoesNotContain(wrong, text);
        }
    }

    [TestMethod]
    public void NativeBuildBesideTheTool_IsStartedWithTheArguments_EvenWithoutItsExecuteBit_AndCanBeTurnedOff()
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64)
        {
            Assert.Inconclusive("the stand-in native build is a shell script for linux-x64");
            return;
        }
        // arrange: a copy of the tool with a stand-in "native build" (as NuGet extracts it: no execute bit)
        using var dir = new TempDir();
        var tool = Directory.CreateDirectory(Path.Combine(dir.Root, "tool")).FullName;
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(Tool)!))
            File.Copy(file, Path.Combine(tool, Path.GetFileName(file)));
        var native = Path.Combine(tool, "native", "linux-x64", "dotnet-muststaple-lint");
        Directory.CreateDirectory(Path.GetDirectoryName(native)!);
        File.WriteAllText(native, "#!/bin/sh\necho \"stand-in native: $*\"\nexit 7\n");
        File.SetUnixFileMode(native, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        dir.Write("work/ok.pem", new CertificateBuilder("ok").MustStaple().Ocsp("http://ocsp.example").Build().Pem);
        var copy = Path.Combine(tool, "dotnet-muststaple-lint.dll");

        // act
        var launched = RunTool(copy, Path.Combine(dir.Root, "work"), ". --now 2026-01-15");
        var inProcess = RunTool(copy, Path.Combine(dir.Root, "work"), ". --now 2026-01-15", ("MUSTSTAPLE_NATIVE", "0"));

        // assert
        Assert.AreEqual(7, launched.Code, launched.Output);
        Assert.AreEqual("stand-in native: . --now 2026-01-15", launched.Output.Trim());
        Assert.AreEqual(0, inProcess.Code, inProcess.Output);
        StringAssert.Contains(inProcess.Output, "muststaple-lint: 0 errors");

        // a native build the system cannot start (the loader exits 127): the tool says so and lints in-process
        File.WriteAllText(native, "#!/bin/sh\necho 'version GLIBC_9.99 not found' >&2\nexit 127\n");
        var fallback = RunTool(copy, Path.Combine(dir.Root, "work"), ". --now 2026-01-15");
        Assert.AreEqual(0, fallback.Code, fallback.Output);
        StringAssert.Contains(fallback.Output, "the native build for linux-x64 could not start here (exit 127); running without it");
        StringAssert.Contains(fallback.Output, "muststaple-lint: 0 errors");
    }

    [TestMethod]
    public void CleanFolder_Exits0_AndNoWarnAndWarnAsErrorChangeTheOutcome()
    {
        using var dir = new TempDir();
        dir.Write("ok.pem", new CertificateBuilder("ok").MustStaple().Ocsp("http://ocsp.example").Build().Pem);
        dir.Write("broken.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n");

        Assert.AreEqual(0, Run(dir.Root, ".").Code);
        Assert.AreEqual(1, Run(dir.Root, ". --warnaserror").Code);
        Assert.AreEqual(1, Run(dir.Root, "--warnaserror MST0001 .").Code);
        var (code, output) = Run(dir.Root, ". --warnaserror --nowarn MST0001");
        Assert.AreEqual(0, code, output);
        Assert.DoesNotContain("MST0001", output);
    }

    [TestMethod]
    public void GitHubFormat_WritesEscapedWorkflowCommands_AutomaticallyUnderActions()
    {
        using var dir = new TempDir();
        dir.Write("a,b:c.pem", new CertificateBuilder("shop").MustStaple().Build().Pem);

        var (code, output) = Run(dir.Root, ".", ("GITHUB_ACTIONS", "true"));

        Assert.AreEqual(1, code, output);
        StringAssert.Contains(output, "::error file=a%2Cb%3Ac.pem,line=1,col=1,endLine=1,endColumn=28,title=MST1001::Certificate 'shop' is must-staple");
        StringAssert.Contains(output, "a,b:c.pem(1,1): error MST1001:");
    }

    [TestMethod]
    public void BadUsage_Exits2WithAMessage()
    {
        using var dir = new TempDir();

        var missing = Run(dir.Root, "no-such-folder");
        var badDate = Run(dir.Root, ". --now yesterday-ish");
        var badOption = Run(dir.Root, ". --frobnicate");
        var badOs = Run(dir.Root, ". --target-os beos");

        Assert.AreEqual((2, 2, 2, 2), (missing.Code, badDate.Code, badOption.Code, badOs.Code));
        StringAssert.Contains(missing.Output, "path 'no-such-folder' does not exist");
        StringAssert.Contains(badOption.Output, "unrecognised option '--frobnicate'");
        StringAssert.Contains(badDate.Output, "--now 'yesterday-ish' is not a date");
    }

    [TestMethod]
    public void VersionAndHelp_Work()
    {
        using var dir = new TempDir();

        var version = Run(dir.Root, "--version");
        var help = Run(dir.Root, "--help");

        Assert.AreEqual(0, version.Code);
        StringAssert.StartsWith(version.Output.Trim(), "0.1.0");
        Assert.AreEqual(0, help.Code);
        foreach (var option in new[] { "--sarif", "--target-os", "--environment", "--now", "--nowarn", "--warnaserror", "--include", "--exclude", "--format", "--pfx-password-env" })
            StringAssert.Contains(help.Output, option);
        StringAssert.Contains(help.Output, "Examples:");
        StringAssert.Contains(help.Output, "dotnet muststaple-lint . --sarif muststaple.sarif");
        StringAssert.Contains(help.Output, "Exit codes:");
        StringAssert.Contains(help.Output, "2  bad usage, or the lint could not run");
    }

    [TestMethod]
    public void MistypedOption_IsAnErrorNamingItAndTheCloseMatch_NotAMissingPath()
    {
        using var dir = new TempDir();

        var (code, output) = Run(dir.Root, "--fromat github");

        Assert.AreEqual(2, code, output);
        StringAssert.Contains(output, "unrecognised option '--fromat'; did you mean '--format'?");
        Assert.DoesNotContain("does not exist", output);
    }

    [TestMethod]
    public void JsonFormat_IsOneVersionedDocument_WithRelativePathsAndTheExitCode()
    {
        using var dir = new TempDir();
        dir.Write("certs/leaf.pem", new CertificateBuilder("shop").MustStaple().Build().Pem);
        dir.Write("site.csr", RequestBuilder.CsrPem("shop", mustStaple: true));

        var (code, output) = Run(dir.Root, ". --format json --now 2026-01-15");

        Assert.AreEqual(1, code, output);
        using var doc = System.Text.Json.JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.AreEqual(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.AreEqual(1, root.GetProperty("summary").GetProperty("errors").GetInt32());
        Assert.AreEqual(1, root.GetProperty("summary").GetProperty("notes").GetInt32());
        var first = root.GetProperty("findings")[0];
        Assert.AreEqual(("MST1001", "error", "certs/leaf.pem", 1, 1),
            (first.GetProperty("id").GetString(), first.GetProperty("severity").GetString(), first.GetProperty("path").GetString(),
             first.GetProperty("line").GetInt32(), first.GetProperty("column").GetInt32()));
        Assert.AreEqual("note", root.GetProperty("findings")[1].GetProperty("severity").GetString());
    }

    [TestMethod]
    public void GitHubFormat_ForgedCommandsInASubjectAFolderNameAndAPathValue_NeverStartALine()
    {
        // arrange: a subject, a folder name and a configuration Path value that try to start workflow commands
        using var dir = new TempDir();
        var app = Path.Combine(dir.Root, "repo", "::add-mask::secret");
        dir.Write("repo/::add-mask::secret/\n::error file=x::folder/leaf.pem", new CertificateBuilder("shop\n::error file=x::forged").MustStaple().Build().Pem);
        dir.Write("repo/::add-mask::secret/appsettings.json", """{ "Kestrel": { "Endpoints": { "Https": { "Url": "https://*:443", "Certificate": { "Path": "certs/a\n::add-mask::b\n::error file=x::forged.pem" } } } } }""");

        // act: as under Actions, with the workspace above the linted folder
        var (code, output) = Run(app, ". --now 2026-01-15", ("GITHUB_ACTIONS", "true"), ("GITHUB_WORKSPACE", dir.Root));

        // assert: every line starting with "::" is one the lint wrote (one per finding), with file= relative to the workspace
        Assert.AreEqual(1, code, output);
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var commands = lines.Where(l => l.StartsWith("::", StringComparison.Ordinal)).ToList();
        var findings = lines.Count(l => l.Contains(": error MST", StringComparison.Ordinal) || l.Contains(": warning MST", StringComparison.Ordinal) || l.Contains(": info MST", StringComparison.Ordinal));
        Assert.IsGreaterThanOrEqualTo(2, findings, output);
        Assert.HasCount(findings, commands, output);
        foreach (var command in commands)
            Assert.MatchesRegex(new System.Text.RegularExpressions.Regex(@"^::(error|warning|notice) file=repo/%3A%3Aadd-mask%3A%3Asecret/[^:]*,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=MST\d{4}::[^\r\n]*$"), command);
        Assert.IsFalse(lines.Any(l => l.StartsWith("::add-mask", StringComparison.Ordinal) || l.StartsWith("::error file=x", StringComparison.Ordinal)), output);
    }

    [TestMethod]
    public void ThreeMegabyteValue_DoesNotReachTheOutput()
    {
        using var dir = new TempDir();
        var huge = new string('v', 3 * 1024 * 1024);
        dir.Write("appsettings.json", $$"""{ "Kestrel": { "Endpoints": { "Https": { "Url": "https://*:443", "Certificate": { "Path": "{{huge}}.pem" } } } } }""");

        var (code, output) = Run(dir.Root, ". --now 2026-01-15 --format github --sarif out.sarif");
        var sarif = File.ReadAllText(Path.Combine(dir.Root, "out.sarif"));

        Assert.AreNotEqual(2, code, output);
        StringAssert.Contains(output, "appsettings.json(");
        Assert.IsLessThan(20_000, output.Length, "stdout stays small");
        Assert.DoesNotContain(new string('v', 201), output);
        Assert.DoesNotContain(new string('v', 201), sarif);
    }

    [TestMethod]
    public void SarifPathIsASymbolicLink_Exits2WithOneLine_AndLeavesTheTargetUntouched()
    {
        using var dir = new TempDir();
        dir.Write("work/leaf.pem", new CertificateBuilder("shop").MustStaple().Build().Pem);
        dir.Write("victim.txt", "precious");
        File.CreateSymbolicLink(Path.Combine(dir.Root, "work", "muststaple.sarif"), Path.Combine(dir.Root, "victim.txt"));

        var (code, output) = Run(Path.Combine(dir.Root, "work"), ". --sarif muststaple.sarif");

        Assert.AreEqual(2, code, output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(1, lines, output);
        StringAssert.Contains(lines[0], "MST0006");
        StringAssert.Contains(lines[0], "symbolic link");
        Assert.AreEqual("precious", File.ReadAllText(Path.Combine(dir.Root, "victim.txt")));
    }

    [TestMethod]
    public void AnythingThatEscapesTheEngine_IsExit2AndOneLine_NeverAStackTrace()
    {
        // arrange: inputs that crashed the engine before (a NUL in a configured path, in a Dockerfile COPY)
        using var dir = new TempDir();
        dir.Write("appsettings.json", """{ "Kestrel": { "Endpoints": { "Https": { "Url": "https://*:443", "Certificate": { "Path": "a\u0000b.pem" } } } } }""");
        dir.Write("Dockerfile", "FROM mcr.microsoft.com/dotnet/aspnet:8.0\nCOPY a\0b.pem /certs/\nENV Kestrel__Certificates__Default__Path=/certs/a\0b.pem\n");

        var (code, output) = Run(dir.Root, ". --now 2026-01-15");

        // assert: either the engine copes (a finding, exit 0/1) or the front reports one line with exit 2
        Assert.DoesNotContain("   at ", output, "no stack trace");
        Assert.DoesNotContain("Unhandled exception", output);
        if (code == 2) Assert.HasCount(1, output.Split('\n', StringSplitOptions.RemoveEmptyEntries), output);
        else StringAssert.Contains(output, "muststaple-lint: ");
    }

    internal static (int Code, string Output) Run(string cwd, string args, params (string Name, string Value)[] env) =>
        RunTool(Tool, cwd, args, env);

    internal static (int Code, string Output) RunTool(string tool, string cwd, string args, params (string Name, string Value)[] env)
    {
        var psi = new ProcessStartInfo("dotnet", $"\"{tool}\" {args}") { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        Sdk.PinEnglish(psi);
        psi.Environment.Remove("GITHUB_ACTIONS");
        psi.Environment.Remove("CI");
        psi.Environment.Remove("TF_BUILD");
        psi.Environment.Remove("GITLAB_CI");
        foreach (var (name, value) in env) psi.Environment[name] = value;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.IsTrue(p.WaitForExit(60_000), "the CLI did not finish in 60 s");
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}

using System.Text.RegularExpressions;
using MustStaple.Testing;

namespace MustStaple.EndToEnd.Tests;

/// <summary>
/// The package in real `dotnet build` / `dotnet publish` runs: the incremental stamp never hides a finding, Visual
/// Studio builds lint, build lines fit the problem matchers, publish lints what ships once, outputs never go through a
/// link, and a failure is MST0006 rather than MSB4018. Each scenario failed on the main branch these tests were written on.
/// </summary>
[TestClass]
public sealed class BuildTests
{
    private const string Now = "-p:MustStapleNow=2026-01-15T00:00:00Z";

    // GitHub's csc matcher as actions/setup-dotnet ships it (.github/csc.json), and VS Code's $msCompile.
    private static readonly Regex SetupDotnetCsc = new(@"^([^\s].*)\((\d+)(?:,\d+|,\d+,\d+)?\):\s+(error|warning)\s+([a-zA-Z]+(?<!MSB)\d+):\s*(.*?)\s+\[(.*?)\]$");
    private static readonly Regex VsCodeMsCompile = new(@"^(?:\s*\d+>)?(\S.*)\((\d+|\d+,\d+|\d+,\d+,\d+,\d+)\)\s*:\s+((?:fatal +)?error|warning|info)\s+(\w+\d+)\s*:\s*(.*)$");

    [ClassInitialize]
    public static void Pack(TestContext _) => Feed.EnsurePacked();

    private static (int Code, string Output) Build(string dir, string args = "") => Sdk.Run(dir, $"build -nologo {args}", Feed.Packages);

    private static void AssertCleanThenUpToDate(string app, string args = "")
    {
        var (code, output) = Build(app, args);
        Assert.AreEqual(0, code, output);
        Assert.DoesNotContain(": error MST", output);
        var (again, detailed) = Build(app, args + " -v:d");
        Assert.AreEqual(0, again, detailed);
        StringAssert.Contains(detailed, "Skipping target \"MustStapleLint\" because all output files are up-to-date", "the stamp works at all");
    }

    // A repository: .git at the top, the app one level down (so files beside it are inside the source root).
    private static (string Repo, string App) Repository(string sample)
    {
        var repo = Directory.CreateDirectory(Path.Combine(Feed.Work, "repo-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        Directory.CreateDirectory(Path.Combine(repo, ".git"));
        var app = Feed.CopySample(sample, repo);
        return (repo, app);
    }

    private static string WithoutRuntimeIdentifier(string app, string project)
    {
        var path = Path.Combine(app, project);
        File.WriteAllText(path, Regex.Replace(File.ReadAllText(path), @"\s*<RuntimeIdentifier>[^<]*</RuntimeIdentifier>", ""));
        return app;
    }

    // A build that lints (something changed), then three builds with nothing changed: each skips the lint and the
    // analyzer's facts (their stamps moved past every input, whatever made the first one run).
    private static void AssertLintsThenThreeNoOps(string app, string why)
    {
        var (code, output) = Build(app, "-v:d");
        Assert.AreEqual(0, code, output);
        StringAssert.Contains(output, "Building target \"MustStapleLint\"", $"{why}: the lint runs once");
        for (var i = 1; i <= 3; i++)
        {
            var (again, detailed) = Build(app, "-v:d");
            Assert.AreEqual(0, again, detailed);
            StringAssert.Contains(detailed, "Skipping target \"MustStapleLint\" because all output files are up-to-date", $"{why}: no-op build {i}");
            StringAssert.Contains(detailed, "Skipping target \"_MustStapleWriteCodeFacts\" because all output files are up-to-date", $"{why}: no-op build {i}");
        }
    }

    [TestMethod]
    [Timeout(900_000)]
    public void SteadyState_AfterAnEditAndAfterARestore_EveryNoOpBuildSkipsTheLintAndTheFacts()
    {
        // arrange: a clean app with a nested node_modules beside its files (never an input, at any depth)
        var app = Feed.CopySample("WebApp.PemChain");
        var modules = Directory.CreateDirectory(Path.Combine(app, "ClientApp", "node_modules", "pkg", "node_modules", "dep")).FullName;
        File.WriteAllText(Path.Combine(modules, "test.pem"), "a package's test fixture");
        AssertCleanThenUpToDate(app);

        // an edit that changes no verdict: the lint runs once, then every no-op build skips it
        File.SetLastWriteTimeUtc(Path.Combine(app, "appsettings.json"), DateTime.UtcNow);
        AssertLintsThenThreeNoOps(app, "after an edit");

        // a restore that rewrites obj/*.nuget.g.* (imported project files, newer than the stamp)
        foreach (var generated in Directory.GetFiles(Path.Combine(app, "obj"), "*.nuget.g.*")) File.Delete(generated);
        var (restore, restoreOutput) = Sdk.Run(app, "restore -nologo", Feed.Packages);
        Assert.AreEqual(0, restore, restoreOutput);
        AssertLintsThenThreeNoOps(app, "after a restore");

        // a file changing inside the nested node_modules runs neither target
        File.WriteAllText(Path.Combine(modules, "test.pem"), "changed");
        var (code, output) = Build(app, "-v:d");
        Assert.AreEqual(0, code, output);
        StringAssert.Contains(output, "Skipping target \"MustStapleLint\" because all output files are up-to-date");
        StringAssert.Contains(output, "Skipping target \"_MustStapleWriteCodeFacts\" because all output files are up-to-date");
    }

    [TestMethod]
    [Timeout(600_000)]
    public void Incremental_TargetOsSetInDirectoryBuildProps_RerunsTheLint()
    {
        var app = Feed.CopySample("WebApp.PemChain");
        AssertCleanThenUpToDate(app);

        File.WriteAllText(Path.Combine(app, "Directory.Build.props"), "<Project><PropertyGroup><MustStapleTargetOS>osx</MustStapleTargetOS></PropertyGroup></Project>");
        var (code, output) = Build(app);

        Assert.AreNotEqual(0, code, output);
        StringAssert.Contains(output, "error MST3003");
    }

    [TestMethod]
    [Timeout(600_000)]
    public void Incremental_TargetOsOnTheCommandLine_RerunsTheLint()
    {
        var app = Feed.CopySample("WebApp.PemChain");
        AssertCleanThenUpToDate(app);

        var (code, output) = Build(app, "-p:MustStapleTargetOS=osx");

        Assert.AreNotEqual(0, code, output);
        StringAssert.Contains(output, "error MST3003");
    }

    [TestMethod]
    [Timeout(600_000)]
    public void Incremental_RuntimeIdentifierOnTheCommandLine_RerunsTheLint()
    {
        // arrange: a PEM full chain staples on Linux; with MST3006 escalated, only a known platform builds clean.
        // Built with -r linux-x64 (the SDK's own RID, restorable offline): clean and then up to date.
        var app = WithoutRuntimeIdentifier(Feed.CopySample("WebApp.PemChain"), "WebApp.PemChain.csproj");
        File.WriteAllText(Path.Combine(app, ".editorconfig"), "root = true\n[*.json]\ndotnet_diagnostic.MST3006.severity = error\n");
        AssertCleanThenUpToDate(app, "-r linux-x64");

        // act: the same project without the RuntimeIdentifier: the platform is unknown, which the stamp must not hide
        var (code, output) = Build(app);

        Assert.AreNotEqual(0, code, output);
        StringAssert.Contains(output, "error MST3006");
    }

    [TestMethod]
    [Timeout(600_000)]
    public void Incremental_ReferencedCertificateDeleted_RerunsTheLint()
    {
        var app = Feed.CopySample("WebApp.PemChain");
        AssertCleanThenUpToDate(app);

        File.Delete(Path.Combine(app, "certs", "fullchain.pem"));
        var (code, output) = Build(app);

        Assert.AreNotEqual(0, code, output);
        StringAssert.Contains(output, "error MST0003");
    }

    [TestMethod]
    [Timeout(600_000)]
    public void Incremental_CertificateOutsideTheProjectFolderBroken_RerunsTheLint()
    {
        // arrange: the app serves a chain kept beside it in the repository, not in its own folder
        var (repo, app) = Repository("WebApp.PemChain");
        Directory.CreateDirectory(Path.Combine(repo, "shared"));
        File.Move(Path.Combine(app, "certs", "fullchain.pem"), Path.Combine(repo, "shared", "fullchain.pem"));
        var settings = Path.Combine(app, "appsettings.json");
        File.WriteAllText(settings, File.ReadAllText(settings).Replace("certs/fullchain.pem", "../shared/fullchain.pem"));
        AssertCleanThenUpToDate(app);

        // act: someone replaces it with a must-staple certificate that has no OCSP URL
        File.WriteAllText(Path.Combine(repo, "shared", "fullchain.pem"), new CertificateBuilder("shared.example").MustStaple().Build().Pem);
        var (code, output) = Build(app);

        Assert.AreNotEqual(0, code, output);
        StringAssert.Contains(output, "error MST1001");
    }

    [TestMethod]
    [Timeout(600_000)]
    public void Incremental_RepositoryRootEditorConfigFromNoneToError_RerunsTheLint()
    {
        var (repo, app) = Repository("WebApp.Pfx");
        var editorConfig = Path.Combine(repo, ".editorconfig");
        File.WriteAllText(editorConfig, "root = true\n[*.json]\ndotnet_diagnostic.MST3001.severity = none\n");
        AssertCleanThenUpToDate(app, Now);

        File.WriteAllText(editorConfig, "root = true\n[*.json]\ndotnet_diagnostic.MST3001.severity = error\n");
        var (code, output) = Build(app, Now);

        Assert.AreNotEqual(0, code, output);
        StringAssert.Contains(output, "error MST3001");
    }

    [TestMethod]
    [Timeout(600_000)]
    public void Incremental_EditorConfigAppearingAboveTheProject_RerunsTheLint()
    {
        // arrange: platform unknown (no RuntimeIdentifier) and a PEM full chain: only a note, MST3006 (Linux would
        // staple, Windows and macOS would not), so the build is clean
        var (repo, app) = Repository("WebApp.PemChain");
        WithoutRuntimeIdentifier(app, "WebApp.PemChain.csproj");
        AssertCleanThenUpToDate(app, Now);

        File.WriteAllText(Path.Combine(repo, ".editorconfig"), "root = true\n[*.json]\ndotnet_diagnostic.MST3006.severity = error\n");
        var (code, output) = Build(app, Now);

        Assert.AreNotEqual(0, code, output);
        StringAssert.Contains(output, "error MST3006");
    }

    [TestMethod]
    [Timeout(600_000)]
    public void Incremental_CleanStampExpiresWhenTheCertificateDoes()
    {
        // arrange: a complete chain whose must-staple leaf expires in a day (judged at the real clock: no MustStapleNow)
        var app = Feed.CopySample("WebApp.PemChain");
        var notAfter = DateTimeOffset.UtcNow.AddDays(1);
        var root = new CertificateBuilder("Expiry Root").AsCa().Build();
        var issuing = new CertificateBuilder("Expiry Issuing CA").AsCa().IssuedBy(root).Build();
        var leaf = new CertificateBuilder("soon.example").MustStaple().Ocsp("http://ocsp.example.test").IssuedBy(issuing)
            .Valid(DateTimeOffset.UtcNow.AddDays(-1), notAfter).Build();
        File.WriteAllText(Path.Combine(app, "certs", "fullchain.pem"), TestCertificate.PemChain(leaf, issuing, root));
        AssertCleanThenUpToDate(app);

        // act: nothing changes on disk; the wall clock (injected: the build's private clock property, no wait) passes
        // the certificate's end
        var (code, output) = Build(app, "-p:_MustStapleClock=" + notAfter.AddSeconds(1).ToString("o", System.Globalization.CultureInfo.InvariantCulture));

        // assert: the stamp expired with it, so the lint ran and reports the expiry
        Assert.AreEqual(0, code, output); // MST1006 is a warning
        StringAssert.Contains(output, "warning MST1006");
    }

    [TestMethod]
    [Timeout(600_000)]
    public void VisualStudioBuild_Lints_DesignTimeBuildDoesNot()
    {
        var app = Feed.CopySample("WebApp.Pfx");

        var (vs, vsOutput) = Build(app, $"{Now} -p:BuildingInsideVisualStudio=true");
        var (designTime, designTimeOutput) = Build(app, $"{Now} -p:DesignTimeBuild=true -p:BuildingInsideVisualStudio=true");

        Assert.AreNotEqual(0, vs, vsOutput);
        StringAssert.Contains(vsOutput, "error MST3001");
        Assert.DoesNotContain("MST3001", designTimeOutput);
    }

    [TestMethod]
    [Timeout(600_000)]
    public void BuildLines_MatchSetupDotnetsCscMatcherAndVsCodesMsCompile_WithTheRightFileLineAndCode()
    {
        // arrange: an error (MST3001) and a warning (MST1001 lowered by .editorconfig) from the same build
        var app = Feed.CopySample("WebApp.Pfx");
        File.WriteAllText(Path.Combine(app, "extra.pem"), new CertificateBuilder("extra.example").MustStaple().Build().Pem);
        File.WriteAllText(Path.Combine(app, ".editorconfig"), "root = true\n[*.pem]\ndotnet_diagnostic.MST1001.severity = warning\n");

        var (code, output) = Build(app, Now);

        Assert.AreNotEqual(0, code, output);
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => Regex.IsMatch(l, @": (error|warning) MST\d{4}:")).ToList();
        Assert.IsTrue(lines.Any(l => l.Contains("error MST3001", StringComparison.Ordinal)) && lines.Any(l => l.Contains("warning MST1001", StringComparison.Ordinal)), output);
        foreach (var line in lines)
        {
            var gh = SetupDotnetCsc.Match(line);
            var vs = VsCodeMsCompile.Match(line.Trim());
            Assert.IsTrue(gh.Success, $"setup-dotnet's csc matcher misses: {line}");
            Assert.IsTrue(vs.Success, $"$msCompile misses: {line}");
            StringAssert.StartsWith(gh.Groups[4].Value, "MST");
            Assert.AreEqual(gh.Groups[4].Value, vs.Groups[4].Value);
            Assert.IsTrue(File.Exists(gh.Groups[1].Value.Trim()), $"the matched file exists: {gh.Groups[1].Value}");
            StringAssert.EndsWith(gh.Groups[6].Value, "WebApp.Pfx.csproj");
        }
        CollectionAssert.Contains(lines.Select(l => SetupDotnetCsc.Match(l)).Where(m => m.Groups[4].Value == "MST3001").Select(m => $"{Path.GetFileName(m.Groups[1].Value)}:{m.Groups[2].Value}").ToList(), "appsettings.json:9");
    }

    [TestMethod]
    [Timeout(600_000)]
    public void Publish_LintsWhatShipsOnce_AndNotCertificatesItLeavesOut()
    {
        // arrange: a must-staple certificate without an OCSP URL kept as test data (None items are not published)
        var app = Feed.CopySample("WebApp.Pfx");
        Directory.CreateDirectory(Path.Combine(app, "testdata"));
        File.WriteAllText(Path.Combine(app, "testdata", "old.pem"), new CertificateBuilder("old.example").MustStaple().Build().Pem);

        var (code, output) = Sdk.Run(app, $"publish -nologo -o out -clp:NoSummary {Now}", Feed.Packages);

        Assert.AreNotEqual(0, code, output);
        Assert.AreEqual(1, Regex.Count(output, "error MST3001"), output);
        Assert.DoesNotContain("old.pem", output);
    }

    [TestMethod]
    [Timeout(600_000)]
    public void SymbolicLinkAtTheSarifPath_IsRefusedWithMst0006_AndItsTargetIsUntouched()
    {
        var (repo, app) = Repository("WebApp.PemChain");
        var victim = Path.Combine(repo, "victim.txt");
        File.WriteAllText(victim, "precious");
        Directory.CreateDirectory(Path.Combine(app, "obj"));
        File.CreateSymbolicLink(Path.Combine(app, "obj", "muststaple.sarif"), victim);

        var (code, output) = Build(app);

        Assert.AreNotEqual(0, code, output);
        StringAssert.Contains(output, "error MST0006");
        StringAssert.Contains(output, "symbolic link");
        Assert.AreEqual("precious", File.ReadAllText(victim));
        Assert.IsNotNull(new FileInfo(Path.Combine(app, "obj", "muststaple.sarif")).LinkTarget);
    }

    [TestMethod]
    [Timeout(600_000)]
    public void ExceptionInTheTask_IsOneMst0006Error_NotMsb4018()
    {
        // arrange: the task called with a path MSBuild unescapes to a NUL character, which .NET refuses with an exception
        var app = Feed.CopySample("WebApp.PemChain");
        var project = Path.Combine(app, "WebApp.PemChain.csproj");
        File.WriteAllText(project, File.ReadAllText(project).Replace("</Project>",
            "<Target Name=\"Crash\"><MustStapleLint ProjectDirectory=\"bad%00path\" SourceRoot=\"bad%00root\" /></Target></Project>"));

        var (code, output) = Build(app, "-t:Crash");

        Assert.AreNotEqual(0, code, output);
        StringAssert.Contains(output, "error MST0006: The lint could not run");
        Assert.DoesNotContain("MSB4018", output);
        Assert.DoesNotContain("   at ", output);
    }

    [TestMethod]
    [Timeout(600_000)]
    public void ForgedWorkflowCommandsInAConfiguredPath_NeverStartABuildLine()
    {
        var app = Feed.CopySample("WebApp.Pfx");
        var settings = Path.Combine(app, "appsettings.json");
        File.WriteAllText(settings, File.ReadAllText(settings).Replace("certs/site.pfx", @"certs/a\n::add-mask::b\n::error file=x::forged.pfx"));

        var (code, output) = Build(app, Now);

        Assert.AreNotEqual(0, code, output);
        StringAssert.Contains(output, "error MST0003");
        Assert.IsFalse(output.Split('\n').Any(l => l.TrimStart().StartsWith("::", StringComparison.Ordinal)), output);
    }
}

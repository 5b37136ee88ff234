using System.Text.Json;
using MustStaple.Testing;
using System.Text.RegularExpressions;

namespace MustStaple.EndToEnd.Tests;

/// <summary>
/// The packed MustStaple.Build package in real builds of the samples, copied outside the repository with their own
/// nuget.config (local feed only) and package cache; the CLI must report the same (rule, file, line) set.
/// </summary>
[TestClass]
public sealed class PackageTests
{
    private static string _work => Feed.Work;
    private static string _feed => Feed.Folder;
    private static string _packages => Feed.Packages;
    private static string _tools => Feed.Tools;
    private static bool _withNative => Feed.WithNative;

    [ClassInitialize]
    public static void PackOnce(TestContext _) => Feed.EnsurePacked();

    private static string NuGetConfig() => Feed.NuGetConfig();

    [TestMethod]
    public void WebAppPfx_Build_FailsWithMst3001OnTheAppsettingsLine_AndTheCliAgrees()
    {
        var app = CopySample("WebApp.Pfx");

        var (code, output) = Sdk.Run(app, "build -nologo -p:MustStapleNow=2026-01-15T00:00:00Z", _packages);

        Assert.AreNotEqual(0, code, output);
        StringAssert.Contains(output, "appsettings.json(9,34): error MST3001: Must-staple certificate 'shop.sample.invalid'");
        var sarif = Path.Combine(app, "obj", "muststaple.sarif");
        Assert.IsTrue(File.Exists(sarif), "SARIF written");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(sarif));
        var results = doc.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
            .Select(r => (r.GetProperty("ruleId").GetString(), r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region").GetProperty("startLine").GetInt32())).ToList();
        CollectionAssert.Contains(results, ("MST3001", 9));

        var build = Findings(output, app);
        var cliOutput = RunCli(app);
        var cli = Findings(cliOutput, app);
        CollectionAssert.Contains(build, "MST3001 appsettings.json:9", output);
        CollectionAssert.Contains(cli, "MST3001 appsettings.json:9", cliOutput);
        CollectionAssert.AreEquivalent(build, cli, $"build: {string.Join(", ", build)} / cli: {string.Join(", ", cli)}");

        // Both fronts write the same log, byte for byte, for the same folder.
        RunCli(app, "--sarif tool.sarif");
        CollectionAssert.AreEqual(SarifResults(sarif), SarifResults(Path.Combine(app, "tool.sarif")));
        CollectionAssert.AreEqual(File.ReadAllBytes(sarif), File.ReadAllBytes(Path.Combine(app, "tool.sarif")));

        // A build that reported findings is never "up to date": the next build reports them again.
        var (again, againOutput) = Sdk.Run(app, "build -nologo -p:MustStapleNow=2026-01-15T00:00:00Z", _packages);
        Assert.AreNotEqual(0, again, againOutput);
        StringAssert.Contains(againOutput, "error MST3001");
    }

    [TestMethod]
    public void InstalledTool_StartsItsNativeBuild_AndSaysExactlyWhatTheInProcessLintSays()
    {
        if (!_withNative) Assert.Inconclusive("no native build in the package (not linux-x64, or no C toolchain)");
        var app = CopySample("WebApp.Pfx");
        var native = Path.Combine(_tools, ".store", "muststaple.lint", Feed.Version, "muststaple.lint", Feed.Version, "tools", "net8.0", "any", "native", "linux-x64", "dotnet-muststaple-lint");
        Assert.IsTrue(File.Exists(native), "the package carries tools/net8.0/any/native/linux-x64/dotnet-muststaple-lint");

        var launched = RunCli(app, "--sarif native.sarif");
        var inProcess = RunCli(app, "--sarif jit.sarif", ("MUSTSTAPLE_NATIVE", "0"));

        Assert.AreEqual(inProcess, launched);
        StringAssert.Contains(launched, "appsettings.json(9,34): error MST3001");
        CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(app, "jit.sarif")), File.ReadAllBytes(Path.Combine(app, "native.sarif")));
        Assert.IsTrue(OperatingSystem.IsLinux() && (File.GetUnixFileMode(native) & UnixFileMode.UserExecute) != 0, "the launcher made it executable");
    }

    [TestMethod]
    public void WebAppPfx_BuildUnderTurkishAndJapaneseCultures_WritesTheSameSarifBytesAsTheTool()
    {
        // The task runs inside MSBuild, in the user's culture; the CLI is culture-invariant.
        var app = CopySample("WebApp.Pfx");
        RunCli(app, "--sarif tool.sarif");
        var tool = File.ReadAllBytes(Path.Combine(app, "tool.sarif"));
        var sarif = Path.Combine(app, "obj", "muststaple.sarif");
        foreach (var culture in new[] { "tr_TR.UTF-8", "ja_JP.UTF-8" })
        {
            if (File.Exists(sarif)) File.Delete(sarif);
            var (code, output) = Sdk.Run(app, "build -nologo -p:MustStapleNow=2026-01-15T00:00:00Z", _packages, 300,
                ("LANG", culture), ("LC_ALL", culture), ("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "0"));
            Assert.AreNotEqual(0, code, output);
            CollectionAssert.AreEqual(tool, File.ReadAllBytes(sarif), culture);
        }
    }

    [TestMethod]
    public void WebAppPfx_NoWarn_LetsTheBuildPass()
    {
        var app = CopySample("WebApp.Pfx");

        var (code, output) = Sdk.Run(app, "build -nologo -p:NoWarn=MST3001", _packages);

        Assert.AreEqual(0, code, output);
        Assert.DoesNotContain("MST3001", output);
    }

    [TestMethod]
    public void WebAppPfx_EditorConfigSeverityWarning_LetsTheBuildPassWithAWarning()
    {
        var app = CopySample("WebApp.Pfx");
        File.WriteAllText(Path.Combine(app, ".editorconfig"), "root = true\n[*.json]\ndotnet_diagnostic.MST3001.severity = warning\n");

        var (code, output) = Sdk.Run(app, "build -nologo", _packages);

        Assert.AreEqual(0, code, output);
        StringAssert.Contains(output, "appsettings.json(9,34): warning MST3001");
    }

    [TestMethod]
    public void Msbuild18_RunsTheReadyToRunTaskFromTasksNet10_AndItsLintFindsMst3001()
    {
        // arrange: the package's three task folders, as packed
        var package = Path.Combine(_packages, "muststaple.build", Feed.Version);
        var app = CopySample("WebApp.Pfx");

        // act
        var (code, output) = Sdk.Run(app, "build -nologo -v:d -p:MustStapleNow=2026-01-15T00:00:00Z", _packages);

        // assert: MSBuild 18 (the .NET 10 SDK) loads every MustStaple task from tasks/net10.0, and its lint reports
        var (_, version) = Sdk.Run(app, "msbuild -version -nologo", _packages);
        var msbuild = Regex.Match(version, @"^(\d+)\.", RegexOptions.Multiline);
        Assert.IsTrue(msbuild.Success && int.Parse(msbuild.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 18, $"MSBuild 18 or later runs the test's builds: {version}");
        var loaded = Regex.Matches(output, "Using \"(MustStaple\\w+)\" task from assembly \"([^\"]+)\"").Select(m => (m.Groups[1].Value, m.Groups[2].Value.Replace('\\', '/'))).ToList();
        CollectionAssert.IsSubsetOf(PackageTasks, loaded.Select(l => l.Item1).ToList(), output);
        foreach (var (task, assembly) in loaded) StringAssert.EndsWith(assembly, "/tasks/net10.0/MustStaple.Build.dll", task);
        Assert.AreNotEqual(0, code, output);
        StringAssert.Contains(output, "appsettings.json(9,34): error MST3001");
        // ReadyToRun images (a managed native header) where the no-op build's code lives; the IL folders stay IL
        Assert.IsTrue(IsReadyToRun(Path.Combine(package, "tasks", "net10.0", "MustStaple.Build.dll")), "tasks/net10.0/MustStaple.Build.dll is ReadyToRun");
        Assert.IsTrue(IsReadyToRun(Path.Combine(package, "tasks", "net10.0", "MustStaple.Core.dll")), "tasks/net10.0/MustStaple.Core.dll is ReadyToRun");
        Assert.IsFalse(IsReadyToRun(Path.Combine(package, "tasks", "net8.0", "MustStaple.Build.dll")), "tasks/net8.0 is IL");
        CollectionAssert.AreEquivalent(
            Directory.GetFiles(Path.Combine(package, "tasks", "net8.0"), "*.dll").Select(Path.GetFileName).ToList(),
            Directory.GetFiles(Path.Combine(package, "tasks", "net10.0"), "*.dll").Select(Path.GetFileName).ToList(),
            "tasks/net10.0 carries the same assemblies as tasks/net8.0");
    }

    private static readonly string[] PackageTasks = ["MustStapleInputs", "MustStapleLint", "MustStapleCodeFacts"];

    private static bool IsReadyToRun(string assembly)
    {
        using var pe = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(assembly));
        return pe.PEHeaders.CorHeader is { } cor && cor.ManagedNativeHeaderDirectory.Size > 0;
    }

    [TestMethod]
    public void WebAppPemChain_Build_Passes_AndANoOpBuildSkipsTheLint()
    {
        var app = CopySample("WebApp.PemChain");

        var (code, output) = Sdk.Run(app, "build -nologo", _packages);
        Assert.AreEqual(0, code, output);
        Assert.DoesNotContain(": error MST", output);

        var (again, detailed) = Sdk.Run(app, "build -nologo -v:d", _packages);
        Assert.AreEqual(0, again, detailed);
        StringAssert.Contains(detailed, "Skipping target \"MustStapleLint\" because all output files are up-to-date");
    }

    [TestMethod]
    public void WebAppPemChain_PublishWithoutTheCertificate_FailsWithMst0003()
    {
        var app = CopySample("WebApp.PemChain");
        var project = Path.Combine(app, "WebApp.PemChain.csproj");
        File.WriteAllText(project, File.ReadAllText(project).Replace("CopyToPublishDirectory=\"PreserveNewest\"", "CopyToPublishDirectory=\"Never\""));

        var (code, output) = Sdk.Run(app, "publish -nologo -o out", _packages);

        Assert.AreNotEqual(0, code, output);
        StringAssert.Contains(output, "error MST0003: Path 'certs/fullchain.pem' of endpoint 'Https' is not in the publish output");
    }

    [TestMethod]
    public void Secrets_NeverReachConsoleBinlogOrSarif_OnAnyFailurePath()
    {
        // arrange: the configured password opens a PFX holding a private key; a second PFX, which nothing serves, is locked (MST0005); a private
        // key PEM sits next to a truncated certificate (MST0001); a must-staple leaf is served without a chain (MST3001).
        const string secret = "Zq9-secret-in-appsettings";
        var app = CopySample("WebApp.Pfx");
        var root = new CertificateBuilder("Secret Root").AsCa().Build();
        var leaf = new CertificateBuilder("secret.sample.invalid").MustStaple().IssuedBy(root).Ocsp("http://ocsp.sample.invalid").Build();
        File.WriteAllBytes(Path.Combine(app, "certs", "site.pfx"), leaf.ToModernPfx(secret, root));
        File.WriteAllBytes(Path.Combine(app, "certs", "other.pfx"), leaf.ToModernPfx(secret + "-other"));
        File.WriteAllText(Path.Combine(app, "certs", "site.key"), leaf.KeyPem);
        File.WriteAllText(Path.Combine(app, "certs", "broken.pem"), leaf.Pem[..150]);
        var settings = Path.Combine(app, "appsettings.json");
        File.WriteAllText(settings, File.ReadAllText(settings).Replace("sample-password", secret));
        var keyBody = leaf.KeyPem.Split('\n')[1]; // a line of the key's base64

        // act
        var (code, output) = Sdk.Run(app, "build -nologo -bl:build.binlog -p:MustStapleNow=2026-01-15T00:00:00Z", _packages);
        var (replayCode, replay) = Sdk.Run(app, "msbuild build.binlog -noconlog -flp:v=diag;logfile=replay.log", _packages);
        var replayLog = File.ReadAllText(Path.Combine(app, "replay.log"));
        var sarif = File.ReadAllText(Path.Combine(app, "obj", "muststaple.sarif"));
        string rawBinlog; // the binlog's records, decompressed, as UTF-8 (how MSBuild writes its strings)
        using (var gzip = new System.IO.Compression.GZipStream(File.OpenRead(Path.Combine(app, "build.binlog")), System.IO.Compression.CompressionMode.Decompress))
        using (var buffer = new MemoryStream())
        {
            gzip.CopyTo(buffer);
            rawBinlog = System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        }

        // assert: the failure paths ran, and neither the password nor the key reached any output
        Assert.AreNotEqual(0, code, output);
        Assert.AreEqual(0, replayCode, replay);
        foreach (var id in new[] { "MST0001", "MST0005", "MST3001" })
        {
            StringAssert.Contains(output, id);
            StringAssert.Contains(replayLog, id);
            StringAssert.Contains(sarif, id);
        }
        StringAssert.Contains(replayLog, "MustStapleLint"); // the replay really holds the task's log
        StringAssert.Contains(rawBinlog, "MST3001");
        foreach (var text in new[] { output, replayLog, sarif, rawBinlog })
        {
            Assert.DoesNotContain(secret, text);
            Assert.DoesNotContain(keyBody, text);
            Assert.DoesNotContain("PRIVATE KEY-----", text); // a PEM key's boundary line; the rule pages embedded in SARIF may name the label (MST2004)
        }
    }

    private static string CopySample(string name) => Feed.CopySample(name);

    [TestMethod]
    public void FreshWebApp_MustStaplePfx_BuildFailsWithMst3001OnAnyPlatform_AndTheCliAgrees()
    {
        // A fresh `dotnet new web` app (no RuntimeIdentifier, no Dockerfile) serving a must-staple PFX: Kestrel serves it
        // unstapled on Linux (chain ignored), Windows and macOS (no stapling) alike, so no platform is needed.
        Feed.EnsurePacked();
        var app = Path.Combine(_work, "fresh-" + Guid.NewGuid().ToString("N")[..8]);
        var (newCode, newOutput) = Sdk.Run(_work, $"new web -o \"{app}\" --no-restore", _packages);
        Assert.AreEqual(0, newCode, newOutput);
        var project = Directory.GetFiles(app, "*.csproj").Single();
        File.WriteAllText(project, File.ReadAllText(project).Replace("</Project>",
            $"  <ItemGroup>\n    <PackageReference Include=\"MustStaple.Build\" Version=\"{Feed.Version}\" PrivateAssets=\"all\" />\n  </ItemGroup>\n</Project>"));
        Feed.PrepareFolder(app);
        var root = new CertificateBuilder("Fresh Root").AsCa().Build();
        var leaf = new CertificateBuilder("fresh.sample.invalid").MustStaple().Ocsp("http://ocsp.sample.invalid").IssuedBy(root).Build();
        Directory.CreateDirectory(Path.Combine(app, "certs"));
        File.WriteAllBytes(Path.Combine(app, "certs", "site.pfx"), leaf.ToPfx("fresh-password", root));
        File.WriteAllText(Path.Combine(app, "appsettings.json"),
            "{\n  \"Kestrel\": {\n    \"Certificates\": {\n      \"Default\": { \"Path\": \"certs/site.pfx\", \"Password\": \"fresh-password\" }\n    }\n  }\n}\n");

        var (code, output) = Sdk.Run(app, "build -nologo -p:MustStapleNow=2026-01-15T00:00:00Z", _packages);

        Assert.AreNotEqual(0, code, output);
        StringAssert.Contains(output, "appsettings.json(4,28): error MST3001: Must-staple certificate 'fresh.sample.invalid'");
        StringAssert.Contains(output, "on any platform");
        Assert.DoesNotContain("MST3006", output);
        var cliOutput = RunCli(app);
        CollectionAssert.AreEquivalent(Findings(output, app), Findings(cliOutput, app), cliOutput);
    }

    [TestMethod]
    public void ContainerShapes_DockerfileCopyAndComposeVolume_ReportTheVerdictOnTheRepositoryFile_BuildAndCliAgree()
    {
        var app = CopySample("WebApp.Pfx");
        File.WriteAllText(Path.Combine(app, "appsettings.json"), "{}\n");
        File.WriteAllText(Path.Combine(app, "Dockerfile"), "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nWORKDIR /app\nCOPY certs/site.pfx /https/site.pfx\n"
            + "ENV Kestrel__Certificates__Default__Path=/https/site.pfx \\\n    Kestrel__Certificates__Default__Password=sample-password \\\n"
            // docs/evidence/kestrel.md#round3-ports: the image binds http 8080 only; an https address makes Kestrel present the certificate.
            + "    ASPNETCORE_HTTPS_PORTS=8443\n");

        var (code, output) = Sdk.Run(app, "build -nologo -p:MustStapleNow=2026-01-15T00:00:00Z", _packages);

        Assert.AreNotEqual(0, code, output);
        StringAssert.Contains(output, "Dockerfile(4,42): error MST3001: Must-staple certificate 'shop.sample.invalid'");
        Assert.DoesNotContain("MST0004", output);
        var cliOutput = RunCli(app);
        CollectionAssert.AreEquivalent(Findings(output, app), Findings(cliOutput, app), cliOutput);

        // The same certificate mounted by compose instead: the verdict moves to the compose line.
        File.WriteAllText(Path.Combine(app, "Dockerfile"), "FROM mcr.microsoft.com/dotnet/aspnet:10.0\n");
        File.WriteAllText(Path.Combine(app, "compose.yaml"), "services:\n  web:\n    build: .\n    volumes:\n      - ./certs:/https:ro\n    environment:\n"
            + "      Kestrel__Certificates__Default__Path: /https/site.pfx  # the volume above\n      Kestrel__Certificates__Default__Password: sample-password\n"
            + "      ASPNETCORE_HTTPS_PORTS: \"8443\"\n");

        var (composeCode, composeOutput) = Sdk.Run(app, "build -nologo -p:MustStapleNow=2026-01-15T00:00:00Z", _packages);

        Assert.AreNotEqual(0, composeCode, composeOutput);
        StringAssert.Contains(composeOutput, "compose.yaml(7,45): error MST3001: Must-staple certificate 'shop.sample.invalid'");
        CollectionAssert.AreEquivalent(Findings(composeOutput, app), Findings(RunCli(app), app));
    }

    private static List<string> SarifResults(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        return doc.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().Select(r =>
        {
            var l = r.GetProperty("locations")[0].GetProperty("physicalLocation");
            return $"{r.GetProperty("ruleId").GetString()} {r.GetProperty("level").GetString()} {l.GetProperty("artifactLocation").GetProperty("uri").GetString()} {l.GetProperty("region").GetProperty("startLine").GetInt32()} {r.GetProperty("message").GetProperty("text").GetString()}";
        }).ToList();
    }

    private static string RunCli(string app, string extra = "", params (string Name, string Value)[] env)
    {
        var (code, output) = Feed.RunTool(app, $". --now 2026-01-15T00:00:00Z {extra}", env);
        Assert.AreEqual(1, code, "the tool exits 1 on an error-level finding");
        return output;
    }

    private static List<string> Findings(string output, string app) =>
        Regex.Matches(output, @"^\s*(?<file>[^\s(][^(]*)\((?<line>\d+),\d+(?:,\d+,\d+)?\): (?:error|warning) (?<id>MST\d{4}):", RegexOptions.Multiline)
            .Select(m => $"{m.Groups["id"].Value} {Path.GetFileName(m.Groups["file"].Value.Trim())}:{m.Groups["line"].Value}")
            .Distinct().OrderBy(s => s, StringComparer.Ordinal).ToList();
}

using System.IO.Compression;
using System.Reflection;
using System.Text.RegularExpressions;

namespace MustStaple.EndToEnd.Tests;

/// <summary>
/// The build speaks the developer's language (issue 22): <c>DOTNET_CLI_UI_LANGUAGE=ja dotnet build</c> prints the
/// analyzer's and the task's texts in Japanese, with the English fingerprints (file(line,col), <c>error MSTnnnn</c>,
/// certificate names) unchanged; the package carries the <c>ja</c> satellite assemblies that make it so.
/// </summary>
[TestClass]
public sealed class BuildLanguageTests
{
    // The sample's PFX, configured in appsettings.json (the task reports it) and again in Program.cs (the analyzer does).
    // MST3001 as a warning: an analyzer error would stop the build before the lint target, which runs after Build.
    private const string Program = """
        var builder = WebApplication.CreateBuilder(args);
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.ListenAnyIP(8443, listen => listen.UseHttps("certs/site.pfx", "sample-password")));
        builder.Build().Run();
        """;

    private static readonly string[] TaskProjects = ["MustStaple.Build", "MustStaple.Core"];
    private static readonly string[] TaskFrameworks = ["net10.0", "net8.0", "net472"];

    [ClassInitialize]
    public static void PackOnce(TestContext _) => Feed.EnsurePacked();

    [TestMethod]
    public void Package_CarriesTheJapaneseSatellites_OfTheAnalyzerTheCodeFixesAndTheTask()
    {
        // arrange
        var package = Directory.GetFiles(Feed.Folder, "MustStaple.Build.*.nupkg").Single();
        using var zip = ZipFile.OpenRead(package);
        var entries = zip.Entries.Select(e => e.FullName).ToList();
        // Every project of ours that the task loads and that has Japanese texts ships their satellite (Core's once it has them).
        var taskAssemblies = TaskProjects
            .Where(p => Directory.GetFiles(Path.Combine(Sdk.RepoRoot, "src", p), "*.ja.resx", SearchOption.AllDirectories).Length > 0).ToList();
        var expected = new List<string> { "analyzers/dotnet/cs/ja/MustStaple.Analyzers.resources.dll", "analyzers/dotnet/cs/ja/MustStaple.Analyzers.CodeFixes.resources.dll" };
        foreach (var tfm in TaskFrameworks)
            expected.AddRange(taskAssemblies.Select(a => $"tasks/{tfm}/ja/{a}.resources.dll"));

        // assert
        CollectionAssert.Contains(taskAssemblies, "MustStaple.Build");
        foreach (var path in expected)
        {
            CollectionAssert.Contains(entries, path, string.Join("\n", entries));
            var file = Path.Combine(Feed.Work, "satellite-" + Guid.NewGuid().ToString("N")[..8] + ".dll");
            zip.GetEntry(path)!.ExtractToFile(file);
            Assert.AreEqual("ja", AssemblyName.GetAssemblyName(file).CultureName, path);
        }
        // Only our own: SatelliteResourceLanguages keeps third-party satellites out of the package.
        var satellites = entries.Where(e => e.EndsWith(".resources.dll", StringComparison.Ordinal)).ToList();
        Assert.IsTrue(satellites.All(e => Path.GetFileName(e).StartsWith("MustStaple.", StringComparison.Ordinal)), string.Join("\n", satellites));
    }

    [TestMethod]
    [Timeout(900_000, CooperativeCancellation = true)]
    public void DotnetBuild_UnderDotnetCliUiLanguageJa_PrintsTheAnalyzerAndTheTaskInJapanese_WithEnglishFingerprints()
    {
        // arrange: English first, so that a compiler server it leaves running (where UseSharedCompilation is on) must switch
        // language for the second build: the SDK passes PreferredUILang, csc gets /preferreduilang:ja, the server words
        // the diagnostics in it (checked by hand with -p:UseSharedCompilation=true: "server processed compilation", Japanese)
        var english = App();
        var japanese = App();

        // act
        var (enCode, enOutput) = Sdk.Run(english, "build -nologo -v:n", Feed.Packages, environment: ("DOTNET_CLI_UI_LANGUAGE", "en"));
        var (jaCode, jaOutput) = Sdk.Run(japanese, "build -nologo -v:n", Feed.Packages, environment: ("DOTNET_CLI_UI_LANGUAGE", "ja"));

        // assert: English
        Assert.AreEqual(0, enCode, enOutput);
        StringAssert.Contains(enOutput, "Program.cs(3,41): warning MST3001: Must-staple certificate 'shop.sample.invalid' ('certs/site.pfx') served here will never be stapled on Linux: UseHttps(path) loads the PFX");
        Assert.MatchesRegex(new Regex(@"MustStaple: \d+ files read, \d+ errors, \d+ warnings, \d+ notes"), enOutput);
        StringAssert.Contains(enOutput, "appsettings.json(9,34): warning MST3001:");

        // assert: Japanese, with the same fingerprints
        Assert.AreEqual(0, jaCode, jaOutput);
        StringAssert.Contains(jaOutput, "ビルドに成功しました", "MSBuild itself speaks Japanese: DOTNET_CLI_UI_LANGUAGE reached it");
        StringAssert.Contains(jaOutput, "Program.cs(3,41): warning MST3001: ここで提供される Must-Staple 証明書 'shop.sample.invalid' ('certs/site.pfx') は、Linux では OCSP ステープリングされません: UseHttps(path) は new X509Certificate2 で PFX を読み込み",
            "the analyzer's message and the cause it composes, worded by the compiler in Japanese");
        Assert.MatchesRegex(new Regex(@"MustStaple: \d+ 個のファイルを読み取りました。エラー \d+ 件、警告 \d+ 件、メモ \d+ 件"), jaOutput, "the task's summary line");
        StringAssert.Contains(jaOutput, "appsettings.json(9,34): warning MST3001:", "the task's finding keeps its fingerprint");
        Assert.DoesNotContain("files read", jaOutput);
        var analyzerLines = jaOutput.Split('\n').Where(l => l.Contains("Program.cs(", StringComparison.Ordinal)).ToList();
        Assert.IsNotEmpty(analyzerLines);
        Assert.IsTrue(analyzerLines.All(l => !l.Contains("served here", StringComparison.Ordinal)), string.Join("\n", analyzerLines));
    }

    private static string App()
    {
        var app = Feed.CopySample("WebApp.Pfx");
        File.WriteAllText(Path.Combine(app, "Program.cs"), Program);
        File.WriteAllText(Path.Combine(app, ".editorconfig"), "root = true\n[*]\ndotnet_diagnostic.MST3001.severity = warning\n");
        return app;
    }
}

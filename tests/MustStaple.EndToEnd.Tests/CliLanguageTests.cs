using System.Text.Json;
using System.Text.RegularExpressions;
using MustStaple.Testing;

namespace MustStaple.EndToEnd.Tests;

/// <summary>
/// The CLI's language: --lang en|ja, else DOTNET_CLI_UI_LANGUAGE, else LC_ALL / LC_MESSAGES / LANG. Only the words
/// change: the findings, their order, the exit code and the SARIF fingerprints are the same in every language.
/// </summary>
[TestClass]
public sealed class CliLanguageTests
{
    private static readonly Regex Japanese = new(@"[\u3040-\u30FF]");

    private static TempDir Fixture()
    {
        var dir = new TempDir();
        var root = new CertificateBuilder("Root").AsCa().Build();
        var leaf = new CertificateBuilder("shop").MustStaple().IssuedBy(root).Build();
        dir.Write("no-ocsp.pem", TestCertificate.PemChain(root, leaf));
        dir.Write("site.csr", RequestBuilder.CsrPem("shop", mustStaple: true));
        dir.Write("truncated.pem", leaf.Pem[..100]);
        return dir;
    }

    private static string[] Findings(string output) =>
        output.Split('\n').Where(l => Regex.IsMatch(l, @": (error|warning|info) MST\d{4}: ")).Select(l => l[..l.IndexOf(": ", l.IndexOf("MST", StringComparison.Ordinal), StringComparison.Ordinal)]).ToArray();

    private static (string Language, string[] Fingerprints, string[] Messages) Sarif(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var run = doc.RootElement.GetProperty("runs")[0];
        var results = run.GetProperty("results").EnumerateArray().ToArray();
        return (run.GetProperty("language").GetString()!,
            results.Select(r => r.GetProperty("partialFingerprints").GetProperty("mustStapleFinding/v2").GetString()!).ToArray(),
            results.Select(r => r.GetProperty("message").GetProperty("text").GetString()!).ToArray());
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public void LangJa_PrintsJapanese_WithTheSameFindingsOrderAndFingerprints()
    {
        // arrange
        using var dir = Fixture();

        // act
        var en = CliTests.Run(dir.Root, ". --now 2026-01-15 --sarif en.sarif");
        var ja = CliTests.Run(dir.Root, ". --now 2026-01-15 --sarif ja.sarif --lang ja");

        // assert
        Assert.AreEqual(1, en.Code, en.Output);
        Assert.AreEqual(en.Code, ja.Code, ja.Output);
        Assert.HasCount(3, Findings(en.Output), en.Output);
        CollectionAssert.AreEqual(Findings(en.Output), Findings(ja.Output), "same findings at the same places, in the same order");
        StringAssert.Contains(ja.Output, "muststaple-lint: エラー 1 件、警告 1 件、メモ 1 件");
        StringAssert.Contains(en.Output, "muststaple-lint: 1 error, 1 warning, 1 note");
        Assert.DoesNotMatchRegex(Japanese, en.Output);
        var enLog = Sarif(Path.Combine(dir.Root, "en.sarif"));
        var jaLog = Sarif(Path.Combine(dir.Root, "ja.sarif"));
        Assert.AreEqual("en-US", enLog.Language);
        Assert.AreEqual("ja", jaLog.Language);
        CollectionAssert.AreEqual(enLog.Fingerprints, jaLog.Fingerprints, "fingerprints never change with the language");
        foreach (var (e, j) in enLog.Messages.Zip(jaLog.Messages))
        {
            Assert.AreNotEqual(e, j);
            Assert.MatchesRegex(Japanese, j);
        }
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public void Environment_ChoosesTheLanguage_LangOverridesIt()
    {
        using var dir = Fixture();

        var dotnetJa = CliTests.Run(dir.Root, ". --now 2026-01-15", ("DOTNET_CLI_UI_LANGUAGE", "ja"));
        var posixJa = CliTests.Run(dir.Root, ". --now 2026-01-15", ("DOTNET_CLI_UI_LANGUAGE", ""), ("LANG", "ja_JP.UTF-8"));
        var posixC = CliTests.Run(dir.Root, ". --now 2026-01-15", ("DOTNET_CLI_UI_LANGUAGE", ""), ("LANG", "ja_JP.UTF-8"), ("LC_ALL", "C"));
        var langEn = CliTests.Run(dir.Root, ". --now 2026-01-15 --lang en", ("DOTNET_CLI_UI_LANGUAGE", "ja"));

        StringAssert.Contains(dotnetJa.Output, "muststaple-lint: エラー 1 件", dotnetJa.Output);
        Assert.AreEqual(dotnetJa.Output, posixJa.Output, "LANG=ja_JP.UTF-8 reads as ja");
        StringAssert.Contains(posixC.Output, "muststaple-lint: 1 error", "LC_ALL=C wins over LANG and reads English");
        StringAssert.Contains(langEn.Output, "muststaple-lint: 1 error", "--lang en wins over DOTNET_CLI_UI_LANGUAGE");
        Assert.DoesNotMatchRegex(Japanese, langEn.Output);
        Assert.AreEqual(1, dotnetJa.Code);
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void LangXx_IsAUsageError_ListedInHelp()
    {
        using var dir = new TempDir();

        var bad = CliTests.Run(dir.Root, ". --lang xx");
        var badJa = CliTests.Run(dir.Root, ". --lang=fr", ("DOTNET_CLI_UI_LANGUAGE", "ja"));
        var help = CliTests.Run(dir.Root, "--help");
        var helpJa = CliTests.Run(dir.Root, "--help --lang ja");

        Assert.AreEqual(2, bad.Code);
        Assert.AreEqual("muststaple-lint: error: --lang 'xx' is not a language of the tool: use en|ja", bad.Output.Trim());
        Assert.AreEqual(2, badJa.Code);
        StringAssert.Contains(badJa.Output, "--lang 'fr'");
        Assert.MatchesRegex(Japanese, badJa.Output);
        StringAssert.Contains(help.Output, "--lang <LANG>");
        StringAssert.Contains(helpJa.Output, "--lang <LANG>");
        StringAssert.Contains(helpJa.Output, "終了コード:");
        Assert.AreEqual(0, helpJa.Code);
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void ExplainInJapanese_PrintsTheJapanesePage_OrTheEnglishOneWhenThereIsNone()
    {
        using var dir = new TempDir();
        var japanesePage = Path.Combine(Sdk.RepoRoot, "docs", "rules", "ja", "MST3001.md");

        var (code, output) = CliTests.Run(dir.Root, "explain MST3001 --lang ja");

        Assert.AreEqual(0, code, output);
        var expected = File.ReadAllText(File.Exists(japanesePage) ? japanesePage : Path.Combine(Sdk.RepoRoot, "docs", "rules", "MST3001.md")).Replace("\r\n", "\n").TrimEnd('\n');
        Assert.AreEqual(expected, output.Replace("\r\n", "\n").TrimEnd('\n'));
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using MustStaple.Core.Tests.Kestrel;
using MustStaple.Localization;
using MustStaple.Sarif;

namespace MustStaple.Core.Tests;

/// <summary>
/// Every text exists in every language (en, ja) with the same placeholders, every key the code names exists, and the
/// language changes the words only: fingerprints and the order of findings stay the same.
/// </summary>
[TestClass]
public sealed class LocalizationTests
{
    private static readonly string RepoRoot = RuleCatalogTests.FindRepoRoot();
    private static readonly CultureInfo Japanese = new("ja");

    // Every neutral .resx of the repository, found by glob: a new area (or another project's resources) is covered as soon as it exists.
    private static IEnumerable<string> NeutralResx() =>
        Directory.EnumerateFiles(Path.Combine(RepoRoot, "src"), "*.resx", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(p => !Regex.IsMatch(Path.GetFileName(p), @"\.[a-z]{2}(-[A-Za-z]+)?\.resx$"))
            .OrderBy(p => p, StringComparer.Ordinal);

    private static Dictionary<string, string> Read(string path) =>
        XDocument.Load(path).Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "", StringComparer.Ordinal);

    private static string[] Placeholders(string text) =>
        Regex.Matches(text.Replace("{{", "").Replace("}}", ""), @"\{(\d+)(?:[,:][^}]*)?\}").Select(m => m.Groups[1].Value).Distinct().OrderBy(x => x, StringComparer.Ordinal).ToArray();

    [TestMethod]
    public void EveryResx_HasAJapaneseTwin_WithTheSameKeysAndPlaceholders()
    {
        var neutral = NeutralResx().ToList();
        Assert.IsGreaterThanOrEqualTo(3, neutral.Count, "the Core areas and the CLI have resources");
        var problems = new List<string>();
        foreach (var en in neutral)
        {
            var ja = Path.ChangeExtension(en, null) + ".ja.resx";
            if (!File.Exists(ja)) { problems.Add($"{en}: no {Path.GetFileName(ja)}"); continue; }
            var enTexts = Read(en);
            var jaTexts = Read(ja);
            foreach (var key in enTexts.Keys.Except(jaTexts.Keys)) problems.Add($"{ja}: '{key}' is missing (it exists in English)");
            foreach (var key in jaTexts.Keys.Except(enTexts.Keys)) problems.Add($"{en}: '{key}' is missing (it exists in Japanese)");
            foreach (var (key, text) in enTexts.Where(e => jaTexts.ContainsKey(e.Key)))
            {
                if (string.IsNullOrWhiteSpace(text) || string.IsNullOrWhiteSpace(jaTexts[key])) problems.Add($"'{key}' is empty in {en} or its twin");
                else if (!Placeholders(text).SequenceEqual(Placeholders(jaTexts[key])))
                    problems.Add($"'{key}': placeholders {{{string.Join(",", Placeholders(text))}}} in English, {{{string.Join(",", Placeholders(jaTexts[key]))}}} in Japanese");
            }
        }
        // A translation without its English original is as wrong as the reverse.
        foreach (var ja in Directory.EnumerateFiles(Path.Combine(RepoRoot, "src"), "*.ja.resx", SearchOption.AllDirectories))
            if (!File.Exists(Regex.Replace(ja, @"\.ja\.resx$", ".resx"))) problems.Add($"{ja}: no English original");
        Assert.IsEmpty(problems, string.Join("\n", problems));
    }

    [TestMethod]
    public void EveryJapaneseText_IsWrittenInJapanese()
    {
        // A text that is only placeholders, IDs or punctuation needs no Japanese; any other must not be an English copy.
        var problems = new List<string>();
        foreach (var en in NeutralResx())
        {
            var ja = Path.ChangeExtension(en, null) + ".ja.resx";
            if (!File.Exists(ja)) continue;
            var enTexts = Read(en);
            foreach (var (key, text) in Read(ja))
            {
                // Nor does one that is only API names (SslServerAuthenticationOptions.ServerCertificate): code stays in Latin.
                if (Regex.IsMatch(text, @"^(\s*(\{\d+[^}]*\}|[A-Z][A-Za-z0-9]*(\.[A-Z][A-Za-z0-9]*)*))+\s*$")) continue;
                var words = Regex.Replace(text, @"\{\d+[^}]*\}|MST\d{4}|[^A-Za-z\u3040-\u30FF\u4E00-\u9FFF]", "");
                if (words.Length > 0 && !Regex.IsMatch(text, @"[\u3000-\u30FF\u4E00-\u9FFF\uFF00-\uFFEF]") && enTexts.GetValueOrDefault(key) is { } english && Regex.IsMatch(english, "[a-z]{3}"))
                    problems.Add($"{Path.GetFileName(ja)}: '{key}' has no Japanese: {text}");
            }
        }
        Assert.IsEmpty(problems, string.Join("\n", problems));
    }

    [TestMethod]
    public void EveryKeyTheCodeNames_Exists()
    {
        // Texts.<Area>.Text("key") / .Get("key") in Core, CliText.Get("key") in the CLI: a typo would throw at run time.
        var problems = new List<string>();
        var sources = new (string Folder, Regex Call, Func<Match, string> Resx)[]
        {
            ("src/MustStaple.Core", new Regex(@"Texts\.(\w+)\.(?:Text|Get)\(\s*""([^""]+)"""), m => $"src/MustStaple.Core/Localization/{m.Groups[1].Value}.resx"),
            ("src/MustStaple.Lint", new Regex(@"CliText\.Get\(\s*()""([^""]+)"""), _ => "src/MustStaple.Lint/CliText.resx"),
        };
        var calls = 0;
        foreach (var (folder, call, resx) in sources)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoRoot, folder), "*.cs", SearchOption.AllDirectories))
            {
                foreach (Match m in call.Matches(File.ReadAllText(file)))
                {
                    calls++;
                    var path = Path.Combine(RepoRoot, resx(m));
                    if (!File.Exists(path) || !Read(path).ContainsKey(m.Groups[2].Value)) problems.Add($"{Path.GetFileName(file)}: '{m.Groups[2].Value}' is not in {resx(m)}");
                }
            }
        }
        Assert.IsGreaterThan(20, calls, "the scan finds the calls");
        Assert.IsEmpty(problems, string.Join("\n", problems));
    }

    [TestMethod]
    public void EveryRule_HasItsTextsInEveryLanguage()
    {
        foreach (var rule in MustStaple.Rules.RuleSet.All.Select(r => r.Rule))
        {
            Assert.AreNotEqual(rule.Title, rule.TitleIn(Japanese), rule.Id);
            if (Regex.IsMatch(Regex.Replace(rule.MessageFormat, @"\{\d+[^}]*\}", ""), "[A-Za-z]")) // "{0}": composed elsewhere
                Assert.AreNotEqual(rule.MessageFormat, rule.MessageFormatIn(Japanese), rule.Id);
            Assert.AreNotEqual(rule.Description, rule.DescriptionIn(Japanese), rule.Id);
            Assert.AreEqual(rule.Title, rule.TitleIn(CultureInfo.GetCultureInfo("fr-FR")), "a language without translation reads English");
        }
    }

    [TestMethod]
    public void SameRepository_EnglishAndJapanese_SameFingerprintsAndOrder_OtherMessages()
    {
        // arrange: a leaf-only chain (MST3001, its cause a composed text) and a PFX nothing opens (advice that depends on the front)
        using var p = new WebProject().Pem("leaf.pem", WebProject.Leaf).File("k.key", "")
            .Pfx("spare.pfx", "secret", WebProject.Leaf)
            .Settings(WebProject.Endpoint("""{ "Path": "leaf.pem", "KeyPath": "k.key" }"""));

        // act
        var en = p.Lint(r => new LintRequest { Paths = r.Paths, Now = r.Now, SourceRoot = r.SourceRoot, Culture = CultureInfo.InvariantCulture });
        var ja = p.Lint(r => new LintRequest { Paths = r.Paths, Now = r.Now, SourceRoot = r.SourceRoot, Culture = Japanese });
        using var enLog = JsonDocument.Parse(SarifWriter.Write(en, "1.0.0"));
        using var jaLog = JsonDocument.Parse(SarifWriter.Write(ja, "1.0.0"));

        // assert
        Assert.IsNotEmpty(en.Diagnostics);
        CollectionAssert.AreEqual(en.Diagnostics.Select(d => d.Id).ToList(), ja.Diagnostics.Select(d => d.Id).ToList(), "same findings, same order");
        CollectionAssert.AreEqual(Fingerprints(enLog), Fingerprints(jaLog), "fingerprints hash English facts");
        for (var i = 0; i < en.Diagnostics.Count; i++)
        {
            Assert.AreNotEqual(en.Diagnostics[i].Message, ja.Diagnostics[i].Message, en.Diagnostics[i].Id);
            Assert.MatchesRegex(@"[\u3040-\u30FF]", ja.Diagnostics[i].Message);
            CollectionAssert.AreEqual(en.Diagnostics[i].Facts.ToList(), ja.Diagnostics[i].Facts.ToList());
        }
        Assert.AreEqual("en-US", enLog.RootElement.GetProperty("runs")[0].GetProperty("language").GetString());
        Assert.AreEqual("ja", jaLog.RootElement.GetProperty("runs")[0].GetProperty("language").GetString());
        var jaRule = jaLog.RootElement.GetProperty("runs")[0].GetProperty("tool").GetProperty("driver").GetProperty("rules")[0];
        Assert.MatchesRegex(@"[\u3040-\u30FF]", jaRule.GetProperty("shortDescription").GetProperty("text").GetString()!);
    }

    [TestMethod]
    public void LocalizedText_RendersItsFragmentsInTheSameLanguage_AndEnglishForFacts()
    {
        var inner = Texts.Diagnostics.Text("FrontText.TargetOs.Cli");
        var outer = Texts.Diagnostics.Text("Sarif.HelpText", inner, "https://example.test/MST3001");
        StringAssert.StartsWith(outer.English, "Pass --target-os");
        StringAssert.StartsWith(outer.ToString(Japanese), "--target-os linux|windows|osx を指定");
        Assert.AreEqual(outer.English, outer.ToString(CultureInfo.GetCultureInfo("de-DE")));
    }

    private static List<string> Fingerprints(JsonDocument log) =>
        log.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
            .Select(r => r.GetProperty("partialFingerprints").GetProperty("mustStapleFinding/v2").GetString()!).ToList();
}

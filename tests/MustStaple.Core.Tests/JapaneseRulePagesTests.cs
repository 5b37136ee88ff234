using System.Text.RegularExpressions;

namespace MustStaple.Core.Tests;

/// <summary>
/// docs/rules/ja/ holds one Japanese page for every English rule page and nothing else: each names its ID in its heading,
/// links its English original, is written in Japanese, and every relative link in it reaches a file from the ja folder
/// (a rule page links the Japanese page, not the English one; evidence and README links climb two levels more).
/// </summary>
[TestClass]
public sealed class JapaneseRulePagesTests
{
    private static readonly string RulesFolder = Path.Combine(RuleCatalogTests.FindRepoRoot(), "docs", "rules");
    private static readonly string JaFolder = Path.Combine(RulesFolder, "ja");

    // a Markdown link's target: [text](target) or [text](target "title")
    private static readonly Regex Link = new(@"\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)");
    private static readonly Regex Fence = new(@"^```.*?^```", RegexOptions.Multiline | RegexOptions.Singleline);
    private static readonly Regex Kana = new(@"[\u3041-\u3096\u30A1-\u30FA]");

    private static IEnumerable<string> PageIds(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "MST*.md").Select(Path.GetFileNameWithoutExtension).OfType<string>()
                .Where(id => Regex.IsMatch(id, @"^MST\d{4}$")).OrderBy(id => id, StringComparer.Ordinal)
            : [];

    private static List<(string Id, string Text)> JapanesePages()
    {
        var pages = PageIds(JaFolder).Select(id => (id, File.ReadAllText(Path.Combine(JaFolder, id + ".md")).Replace("\r\n", "\n"))).ToList();
        Assert.IsNotEmpty(pages, $"no Japanese rule pages in {JaFolder}");
        return pages;
    }

    [TestMethod]
    public void EveryRulePage_HasAJapanesePage_AndEveryJapanesePage_AnEnglishOne()
    {
        // arrange
        var english = PageIds(RulesFolder).ToList();
        var japanese = PageIds(JaFolder).ToList();

        // act
        var problems = english.Except(japanese).Select(id => $"{id}: no docs/rules/ja/{id}.md")
            .Concat(japanese.Except(english).Select(id => $"{id}: no English docs/rules/{id}.md")).ToList();

        // assert
        Assert.IsNotEmpty(english, $"no rule pages in {RulesFolder}");
        Assert.IsEmpty(problems, string.Join("\n", problems));
    }

    [TestMethod]
    public void EveryJapanesePage_StartsWithItsId_AndLinksItsEnglishOriginal()
    {
        // arrange
        var pages = JapanesePages();

        // act
        var problems = pages.Where(p => !p.Text.StartsWith($"# {p.Id}: ", StringComparison.Ordinal))
            .Select(p => $"{p.Id}: must start with '# {p.Id}: <title>'")
            .Concat(pages.Where(p => !p.Text.Contains($"English: [{p.Id}](../{p.Id}.md)", StringComparison.Ordinal))
                .Select(p => $"{p.Id}: must link its English page ('English: [{p.Id}](../{p.Id}.md)')"))
            .ToList();

        // assert
        Assert.IsEmpty(problems, string.Join("\n", problems));
    }

    [TestMethod]
    public void EveryJapanesePage_IsWrittenInJapanese()
    {
        // arrange
        var pages = JapanesePages();

        // act: kana outside the code blocks (the code stays as in English; the prose must not)
        var notJapanese = pages.Where(p => !Kana.IsMatch(Fence.Replace(p.Text, ""))).Select(p => p.Id).ToList();

        // assert
        Assert.IsEmpty(notJapanese, "no Japanese prose (kana) in: " + string.Join(", ", notJapanese));
    }

    [TestMethod]
    public void EveryRelativeLinkInAJapanesePage_ReachesAFile_AndRulePagesLinkTheJapanesePage()
    {
        // arrange
        var pages = JapanesePages();
        var links = 0;
        var broken = new List<string>();

        // act
        foreach (var (id, text) in pages)
        {
            foreach (Match m in Link.Matches(Fence.Replace(text, "")))
            {
                var target = m.Groups["target"].Value;
                if (Regex.IsMatch(target, @"^[a-z][a-z0-9+.-]*:", RegexOptions.IgnoreCase) || target.StartsWith('#')) continue;
                links++;
                var path = Path.GetFullPath(Path.Combine(JaFolder, Uri.UnescapeDataString(target.Split('#')[0])));
                if (!File.Exists(path) && !Directory.Exists(path)) broken.Add($"{id}: {target} (nothing there)");
                else if (Path.GetDirectoryName(path) == RulesFolder && Regex.IsMatch(Path.GetFileName(path), @"^MST\d{4}\.md$")
                         && target != $"../{id}.md")
                    broken.Add($"{id}: {target} (an English rule page; link the Japanese one)");
            }
        }

        // assert
        Assert.IsGreaterThanOrEqualTo(pages.Count, links, "every page links at least its English original");
        Assert.IsEmpty(broken, string.Join("\n", broken));
    }
}

using System.Text.RegularExpressions;

namespace MustStaple.Core.Tests;

/// <summary>
/// Every citation of measured behaviour points inside the repository: no text names the measurement notes that were
/// never committed, and every link into docs/evidence/ (Markdown links and C# comments alike) reaches a page and an
/// anchor that exist. A reader who asks "why is this an error?" always has something to open.
/// </summary>
[TestClass]
public sealed class EvidenceCitationTests
{
    private static readonly string RepoRoot = RuleCatalogTests.FindRepoRoot();

    private static readonly string[] Folders = ["docs", "src", "tests", "samples", "build"];

    private static IEnumerable<string> CitingFiles() =>
        Folders.SelectMany(d =>
                Directory.EnumerateFiles(Path.Combine(RepoRoot, d), "*", SearchOption.AllDirectories))
            .Append(Path.Combine(RepoRoot, "README.md"))
            .Where(f => f.EndsWith(".md", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
            .Where(f => !f.EndsWith(nameof(EvidenceCitationTests) + ".cs", StringComparison.Ordinal));

    [TestMethod]
    public void NoTextCitesMeasurementNotesOutsideTheRepository()
    {
        // arrange
        var outside = new Regex(@"(KESTREL|PROXIES)-STAPLING");

        // act
        var offenders = CitingFiles().Where(f => outside.IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(RepoRoot, f)).ToList();

        // assert
        Assert.IsEmpty(offenders, "cite docs/evidence/ instead: " + string.Join(", ", offenders));
    }

    [TestMethod]
    public void EveryEvidenceLink_ReachesAnExistingPageAndAnchor()
    {
        // arrange: links like docs/evidence/kestrel.md#a12 (C#, README) or ../evidence/kestrel.md#a12 (rule pages)
        var link = new Regex(@"(?:docs/|\.\./|\()evidence/(?<page>[a-z0-9-]+\.md)(?:#(?<anchor>[a-z0-9-]+))?");
        var citations = 0;
        var broken = new List<string>();

        // act
        foreach (var file in CitingFiles())
        {
            foreach (Match m in link.Matches(File.ReadAllText(file)))
            {
                citations++;
                var page = Path.Combine(RepoRoot, "docs", "evidence", m.Groups["page"].Value);
                if (!File.Exists(page)) { broken.Add($"{Path.GetRelativePath(RepoRoot, file)}: {m.Value} (no page)"); continue; }
                if (m.Groups["anchor"].Success && !Anchors(page).Contains(m.Groups["anchor"].Value))
                    broken.Add($"{Path.GetRelativePath(RepoRoot, file)}: {m.Value} (no anchor)");
            }
        }

        // assert
        Assert.IsGreaterThan(30, citations, "the rule pages and the code cite the evidence");
        Assert.IsEmpty(broken, string.Join("\n", broken));
    }

    [TestMethod]
    public void EveryEvidencePage_NamesATestFilterThatExists()
    {
        // Each "Reproduce" filter (Class.MethodPrefix) must match a test method of the end-to-end project's sources.
        var sources = string.Join("\n", Directory.EnumerateFiles(Path.Combine(RepoRoot, "tests", "MustStaple.EndToEnd.Tests"), "*.cs", SearchOption.AllDirectories).Select(File.ReadAllText));
        var filters = Directory.EnumerateFiles(Path.Combine(RepoRoot, "docs", "evidence"), "*.md")
            .SelectMany(p => Regex.Matches(File.ReadAllText(p), @"`(?<class>[A-Z][A-Za-z]+Tests)\.(?<method>[A-Za-z0-9_]+)`").Cast<Match>()).ToList();

        Assert.IsGreaterThan(25, filters.Count);
        foreach (var f in filters)
        {
            StringAssert.Contains(sources, $"class {f.Groups["class"].Value}", f.Value);
            Assert.IsTrue(Regex.IsMatch(sources, $@"(void|Task) {Regex.Escape(f.Groups["method"].Value)}"), $"{f.Value} matches no test method");
        }
    }

    private static HashSet<string> Anchors(string page) =>
        Regex.Matches(File.ReadAllText(page), @"<a id=""(?<id>[a-z0-9-]+)""></a>").Select(m => m.Groups["id"].Value).ToHashSet(StringComparer.Ordinal);
}

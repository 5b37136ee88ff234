using System.Reflection;
using System.Text.RegularExpressions;
using MustStaple.Rules;

namespace MustStaple.Core.Tests;

[TestClass]
public sealed class RuleCatalogTests
{
    private static readonly string RepoRoot = FindRepoRoot();

    private static IEnumerable<string> DeclaredIds() =>
        typeof(RuleIds).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!);

    [TestMethod]
    public void RuleIds_AreUniqueAndWellFormed()
    {
        var ids = DeclaredIds().ToList();
        Assert.HasCount(ids.Count, ids.Distinct());
        foreach (var id in ids) Assert.MatchesRegex(new Regex(@"^MST\d{4}$"), id);
    }

    [TestMethod]
    public void EveryDeclaredId_IsRegisteredOnceInRuleSet()
    {
        var registered = RuleSet.All.Select(r => r.Rule.Id).ToList();
        Assert.HasCount(registered.Count, registered.Distinct(), "a rule is registered twice");
        CollectionAssert.AreEquivalent(DeclaredIds().ToList(), registered);
    }

    [TestMethod]
    public void EveryRule_HasADocPageWithTheRequiredSections()
    {
        foreach (var rule in RuleSet.All)
        {
            var page = Path.Combine(RepoRoot, "docs", "rules", rule.Rule.Id + ".md");
            Assert.IsTrue(File.Exists(page), $"missing {page}");
            var text = File.ReadAllText(page);
            StringAssert.StartsWith(text, $"# {rule.Rule.Id}: {rule.Rule.Title}\n", $"{page} must start with its ID and title");
            foreach (var section in new[] { "## Cause", "## Why it matters", "## How to fix", "## How to suppress" })
                StringAssert.Contains(text, section, $"{page} lacks {section}");
            StringAssert.Contains(text, $"Default severity: **{(rule.Rule.DefaultSeverity == Diagnostics.Severity.Note ? "note" : rule.Rule.DefaultSeverity.ToString().ToLowerInvariant())}**", page);
        }
    }

    [TestMethod]
    public void EveryRule_HasATestClassAndASealedNameMatchingItsDescriptor()
    {
        var testClasses = typeof(RuleCatalogTests).Assembly.GetTypes().Select(t => t.Name).ToHashSet();
        foreach (var rule in RuleSet.All)
        {
            var type = rule.GetType();
            Assert.IsTrue(type.IsSealed, $"{type.Name} must be sealed");
            Assert.AreEqual(type.Name, rule.Rule.Name, "descriptor name must be the class name");
            Assert.Contains($"{type.Name}Tests", testClasses, $"missing test class {type.Name}Tests");
        }
    }

    [TestMethod]
    public void RuleCategory_MatchesTheThousandsDigit()
    {
        foreach (var rule in RuleSet.All)
            Assert.AreEqual((int)rule.Rule.Category, rule.Rule.Id[3] - '0', rule.Rule.Id);
    }

    [TestMethod]
    public void ReadmeRulesTable_ListsEveryRule()
    {
        var readme = File.ReadAllText(Path.Combine(RepoRoot, "README.md"));
        foreach (var rule in RuleSet.All)
            StringAssert.Contains(readme, $"[{rule.Rule.Id}](docs/rules/{rule.Rule.Id}.md)", "README rules table");
    }

    internal static string FindRepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "MustStaple.Build.sln"))) return d.FullName;
        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }
}

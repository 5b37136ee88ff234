using Microsoft.CodeAnalysis;
using MustStaple.Rules;
using RuleSet = MustStaple.Rules.RuleSet;

namespace MustStaple.Analyzers.Tests;

/// <summary>One source of truth: every analyzer diagnostic is Core's rule, with Core's title, severity and message.</summary>
[TestClass]
public sealed class CatalogParityTests
{
    [TestMethod]
    public void EveryAnalyzerDescriptor_MatchesCoresCatalogue()
    {
        var core = RuleSet.All.ToDictionary(r => r.Rule.Id, r => r.Rule);
        foreach (var d in Descriptors.All)
        {
            Assert.IsTrue(core.TryGetValue(d.Id, out var rule), $"{d.Id} is not in Core's RuleSet");
            Assert.AreEqual(rule.Title, d.Title.ToString(System.Globalization.CultureInfo.InvariantCulture), d.Id);
            var severity = rule.DefaultSeverity switch
            {
                Diagnostics.Severity.Error => DiagnosticSeverity.Error,
                Diagnostics.Severity.Warning => DiagnosticSeverity.Warning,
                _ => DiagnosticSeverity.Info,
            };
            Assert.AreEqual(severity, d.DefaultSeverity, d.Id);
            Assert.AreEqual(rule.Category.ToString(), d.Category, d.Id);
        }
    }

    [TestMethod]
    public void AnalyzerOnlyRules_ShareCoresMessageFormat()
    {
        foreach (var id in new[] { "MST0007", "MST3007", "MST3008", "MST3009", "MST3010" })
        {
            var rule = RuleSet.All.Single(r => r.Rule.Id == id).Rule;
            Assert.AreEqual(rule.MessageFormat, Descriptors.All.Single(d => d.Id == id).MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture), id);
        }
    }

    [TestMethod]
    public void PerHandshakeContextRule_SharesCoresIdTitleSeverityAndMessageFormat()
    {
        var rule = RuleSet.All.Single(r => r.Rule.Id == "MST3011").Rule;
        var descriptor = Descriptors.PerHandshakeContextNeverStaples;
        Assert.AreEqual(rule.Id, descriptor.Id);
        Assert.AreEqual(rule.Title, descriptor.Title.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.AreEqual(rule.MessageFormat, descriptor.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.AreEqual(DiagnosticSeverity.Error, descriptor.DefaultSeverity);
        Assert.Contains(descriptor, Descriptors.All);
    }
}

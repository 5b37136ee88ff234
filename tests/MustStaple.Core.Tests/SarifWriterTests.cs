using System.Globalization;
using System.Text.Json;
using MustStaple.Core.Tests.Kestrel;
using MustStaple.Sarif;

namespace MustStaple.Core.Tests;

[TestClass]
public sealed class SarifWriterTests
{
    [TestMethod]
    public void Pfx_WritesResultWithRelativeUriRegionRuleIndexAndRelatedCertificate()
    {
        using var p = new WebProject().Pfx("site.pfx", "", WebProject.Leaf, WebProject.Intermediate, WebProject.Root)
            .Settings(WebProject.Endpoint("""{ "Path": "site.pfx" }"""));
        var result = p.Lint();

        using var doc = JsonDocument.Parse(SarifWriter.Write(result, "1.2.3"));

        var run = doc.RootElement.GetProperty("runs")[0];
        Assert.AreEqual("2.1.0", doc.RootElement.GetProperty("version").GetString());
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules");
        Assert.AreEqual(result.Rules.Count, rules.GetArrayLength());
        var r = run.GetProperty("results").EnumerateArray().Single(x => x.GetProperty("ruleId").GetString() == "MST3001");
        Assert.AreEqual("MST3001", rules[r.GetProperty("ruleIndex").GetInt32()].GetProperty("id").GetString());
        Assert.AreEqual("error", r.GetProperty("level").GetString());
        var loc = r.GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.AreEqual("appsettings.json", loc.GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.AreEqual("%SRCROOT%", loc.GetProperty("artifactLocation").GetProperty("uriBaseId").GetString());
        var (line, col) = p.Find("appsettings.json", "\"site.pfx\"");
        Assert.AreEqual(line, loc.GetProperty("region").GetProperty("startLine").GetInt32());
        Assert.AreEqual(col, loc.GetProperty("region").GetProperty("startColumn").GetInt32());
        Assert.AreEqual("site.pfx", r.GetProperty("relatedLocations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.AreEqual(32, r.GetProperty("partialFingerprints").GetProperty("mustStapleFinding/v1").GetString()!.Length);
        var rule = rules[r.GetProperty("ruleIndex").GetInt32()];
        StringAssert.StartsWith(rule.GetProperty("help").GetProperty("markdown").GetString(), "# MST3001:");
        Assert.AreEqual("7.5", rule.GetProperty("properties").GetProperty("security-severity").GetString());
        Assert.IsFalse(rule.TryGetProperty("helpUri", out _), "no invented URLs");
    }

    [TestMethod]
    public void SameInput_IsByteIdentical_UnderOtherCultures()
    {
        using var p = new WebProject().Pem("leaf.pem", WebProject.Leaf).File("k.key", "").Settings(WebProject.Endpoint("""{ "Path": "leaf.pem", "KeyPath": "k.key" }"""));
        var original = CultureInfo.CurrentCulture;
        try
        {
            var logs = new List<byte[]>();
            foreach (var culture in new[] { "en-US", "tr-TR", "ja-JP" })
            {
                CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
                logs.Add(SarifWriter.Write(p.Lint(), "1.0.0"));
            }
            CollectionAssert.AreEqual(logs[0], logs[1]);
            CollectionAssert.AreEqual(logs[0], logs[2]);
        }
        finally
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = original;
        }
    }
}

[TestClass]
public sealed class AnalyzerConfigTests
{
    [TestMethod]
    public void EditorConfigSeverity_ChangesAndSuppresses()
    {
        using var p = new WebProject().Pem("leaf.pem", WebProject.Leaf).File("k.key", "").Settings(WebProject.Endpoint("""{ "Path": "leaf.pem", "KeyPath": "k.key" }"""));
        p.File(".editorconfig", "root = true\n\n[*.json]\ndotnet_diagnostic.MST3001.severity = warning\n\n[*.txt]\ndotnet_diagnostic.MST3001.severity = none\n");

        Assert.AreEqual(Diagnostics.Severity.Warning, p.Lint().Diagnostics.Single(d => d.Id == "MST3001").Severity);

        p.File(".editorconfig", "root = true\n[*]\ndotnet_diagnostic.MST3001.severity = none\n");
        Assert.IsFalse(p.Lint().Diagnostics.Any(d => d.Id == "MST3001"));
    }

    [TestMethod]
    public void GlobalConfig_AppliesEverywhere_AndWarnAsErrorEscalates()
    {
        using var p = new WebProject().Pem("leaf.pem", WebProject.LeafWithCaIssuers).File("k.key", "").Settings(WebProject.Endpoint("""{ "Path": "leaf.pem", "KeyPath": "k.key" }"""));
        p.File(".globalconfig", "is_global = true\ndotnet_diagnostic.MST3002.severity = suggestion\n");

        Assert.AreEqual(Diagnostics.Severity.Note, p.Lint().Diagnostics.Single(d => d.Id == "MST3002").Severity);

        File.Delete(p.Path(".globalconfig"));
        var escalated = p.Lint(r => new LintRequest { Paths = r.Paths, Now = r.Now, WarningsAsErrors = ["MST3002"] });
        Assert.AreEqual(Diagnostics.Severity.Error, escalated.Diagnostics.Single(d => d.Id == "MST3002").Severity);
        var suppressed = p.Lint(r => new LintRequest { Paths = r.Paths, Now = r.Now, NoWarn = ["MST3002"] });
        Assert.IsFalse(suppressed.Diagnostics.Any(d => d.Id == "MST3002"));
    }
}

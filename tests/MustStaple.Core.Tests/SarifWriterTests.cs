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
        Assert.AreEqual(32, r.GetProperty("partialFingerprints").GetProperty("mustStapleFinding/v2").GetString()!.Length);
        var rule = rules[r.GetProperty("ruleIndex").GetInt32()];
        StringAssert.StartsWith(rule.GetProperty("help").GetProperty("markdown").GetString(), "# MST3001:");
        Assert.AreEqual("7.5", rule.GetProperty("properties").GetProperty("security-severity").GetString());
        Assert.IsFalse(rule.TryGetProperty("helpUri", out _), "no invented URLs");
    }

    [TestMethod]
    public void ExpiredCertificate_FingerprintIsTheSameADayLater_ThoughTheMessageCarriesTheClock()
    {
        // arrange: MST1006's message names the instant of the check
        using var folder = new TestFolder();
        folder.Write("old.pem", new Testing.CertificateBuilder("old.example").MustStaple().Ocsp("http://ocsp.example")
            .Valid(Testing.TestClock.Now.AddYears(-2), Testing.TestClock.Now.AddDays(-1)).Build().Pem);

        // act
        var today = folder.Lint();
        var tomorrow = folder.Lint(r => new LintRequest { Paths = r.Paths, Now = r.Now.AddDays(1), SourceRoot = r.SourceRoot });

        // assert
        var (m1, f1) = Mst1006(today);
        var (m2, f2) = Mst1006(tomorrow);
        Assert.AreNotEqual(m1, m2, "the message carries the clock");
        Assert.AreEqual(f1, f2, "the fingerprint does not");
        Assert.AreEqual(32, f1.Length);
    }

    [TestMethod]
    public void TwoCertificatesInOneFile_GetDifferentFingerprints()
    {
        using var folder = new TestFolder();
        folder.Write("a.pem", new Testing.CertificateBuilder("one.example").MustStaple().Build().Pem
            + new Testing.CertificateBuilder("two.example").MustStaple().Build().Pem);

        using var doc = JsonDocument.Parse(SarifWriter.Write(folder.Lint(), "1.0.0"));

        var prints = doc.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
            .Where(r => r.GetProperty("ruleId").GetString() == "MST1001")
            .Select(r => r.GetProperty("partialFingerprints").GetProperty("mustStapleFinding/v2").GetString()).ToList();
        Assert.HasCount(2, prints);
        Assert.AreNotEqual(prints[0], prints[1]);
    }

    [TestMethod]
    public void Options_WriteTheCategoryPerProjectAndTheRepositoryProvenance()
    {
        using var folder = new TestFolder();
        folder.Write("src/Shop/leaf.pem", new Testing.CertificateBuilder("shop").MustStaple().Build().Pem);
        var result = folder.Lint();

        using var doc = JsonDocument.Parse(SarifWriter.Write(result, "1.0.0", new SarifOptions
        {
            Category = SarifOptions.CategoryFor(Path.Combine(folder.Root, "src", "Shop"), result.SourceRoot),
            RepositoryUri = "https://github.com/example/shop",
            RevisionId = "0123456789abcdef0123456789abcdef01234567",
            Branch = "refs/heads/main",
        }));

        var run = doc.RootElement.GetProperty("runs")[0];
        Assert.AreEqual("muststaple/src/Shop/", run.GetProperty("automationDetails").GetProperty("id").GetString());
        var vcp = run.GetProperty("versionControlProvenance")[0];
        Assert.AreEqual("https://github.com/example/shop", vcp.GetProperty("repositoryUri").GetString());
        Assert.AreEqual("0123456789abcdef0123456789abcdef01234567", vcp.GetProperty("revisionId").GetString());
        Assert.AreEqual("refs/heads/main", vcp.GetProperty("branch").GetString());
        Assert.AreEqual("%SRCROOT%", vcp.GetProperty("mappedTo").GetProperty("uriBaseId").GetString());
        Assert.AreEqual("muststaple/root/", JsonDocument.Parse(SarifWriter.Write(result, "1.0.0", new SarifOptions { Category = SarifOptions.CategoryFor(folder.Root, result.SourceRoot) }))
            .RootElement.GetProperty("runs")[0].GetProperty("automationDetails").GetProperty("id").GetString());
        Assert.IsFalse(JsonDocument.Parse(SarifWriter.Write(result, "1.0.0")).RootElement.GetProperty("runs")[0].TryGetProperty("versionControlProvenance", out _), "nothing invented");
    }

    private static (string Message, string Fingerprint) Mst1006(LintResult result)
    {
        using var doc = JsonDocument.Parse(SarifWriter.Write(result, "1.0.0"));
        var r = doc.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().Single(x => x.GetProperty("ruleId").GetString() == "MST1006");
        return (r.GetProperty("message").GetProperty("text").GetString()!, r.GetProperty("partialFingerprints").GetProperty("mustStapleFinding/v2").GetString()!);
    }

    [TestMethod]
    public void SameInput_IsByteIdentical_UnderOtherCultures()
    {
        // The formatting culture only: the UI culture (the language) stays English here; LocalizationTests compares languages.
        using var p = new WebProject().Pem("leaf.pem", WebProject.Leaf).File("k.key", "").Settings(WebProject.Endpoint("""{ "Path": "leaf.pem", "KeyPath": "k.key" }"""));
        var original = CultureInfo.CurrentCulture;
        var originalUi = CultureInfo.CurrentUICulture;
        try
        {
            var logs = new List<byte[]>();
            foreach (var culture in new[] { "en-US", "tr-TR", "ja-JP" })
            {
                CultureInfo.CurrentCulture = new CultureInfo(culture);
                CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
                logs.Add(SarifWriter.Write(p.Lint(), "1.0.0"));
            }
            CollectionAssert.AreEqual(logs[0], logs[1]);
            CollectionAssert.AreEqual(logs[0], logs[2]);
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
            CultureInfo.CurrentUICulture = originalUi;
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

using System.Text.Json;
using System.Text.RegularExpressions;
using MustStaple.Testing;

namespace MustStaple.EndToEnd.Tests;

/// <summary>
/// `explain`, and the CI formats beside GitHub's: Azure Pipelines logging commands and GitLab's Code Quality report,
/// each parsed back and compared with the SARIF the same run writes (same findings, same fingerprints).
/// </summary>
[TestClass]
public sealed class CliCiFormatsTests
{
    [TestMethod]
    public void Explain_EveryRulePage_IsPrintedFromTheTool()
    {
        // arrange
        var pages = Directory.GetFiles(Path.Combine(Sdk.RepoRoot, "docs", "rules"), "MST*.md").OrderBy(p => p, StringComparer.Ordinal).ToList();
        var ids = pages.Select(Path.GetFileNameWithoutExtension).ToList();

        // act
        var (code, output) = CliTests.Run(Sdk.RepoRoot, "explain " + string.Join(" ", ids));
        var (listCode, list) = CliTests.Run(Sdk.RepoRoot, "explain");
        var (unknownCode, unknown) = CliTests.Run(Sdk.RepoRoot, "explain MST9999");

        // assert: each page, verbatim and in order; the list names every rule; an unknown ID is bad usage
        Assert.AreEqual(0, code, output);
        var position = 0;
        foreach (var page in pages)
        {
            var text = File.ReadAllText(page).Replace("\r\n", "\n").TrimEnd('\n');
            var at = output.IndexOf(text, position, StringComparison.Ordinal);
            Assert.IsGreaterThanOrEqualTo(0, at, $"{Path.GetFileName(page)} not printed verbatim");
            position = at + text.Length;
        }
        Assert.AreEqual(2, listCode);
        foreach (var id in ids) StringAssert.Contains(list, id!);
        Assert.AreEqual(2, unknownCode);
        StringAssert.Contains(unknown, "no rule 'MST9999'");
    }

    [TestMethod]
    public void LintWithFindings_EndsWithTheExplainCommandOfTheWorstFinding()
    {
        using var dir = new TempDir();
        dir.Write("leaf.pem", new CertificateBuilder("shop.sample.invalid").MustStaple().Build().Pem);

        var (code, output) = CliTests.Run(dir.Root, ". --now 2026-01-15");

        Assert.AreEqual(1, code, output);
        StringAssert.Contains(output, "error MST1001");
        StringAssert.Contains(output, "muststaple-lint: why and how to fix: dotnet muststaple-lint explain MST1001 (any rule ID)");
    }

    [TestMethod]
    public void AzureFormat_UnderTfBuild_OneEscapedLogIssuePerErrorOrWarning_AndFileContentStartsNoCommand()
    {
        // arrange: a subject and a folder name that try to forge Azure logging commands and break out of properties
        using var dir = new TempDir();
        var app = Path.Combine(dir.Root, "a;b]c%d");
        dir.Write("a;b]c%d/leaf.pem", new CertificateBuilder("shop ##vso[task.setvariable variable=x]y ##[error]forged 100%").MustStaple().Build().Pem);
        dir.Write("a;b]c%d/plain.pem", new CertificateBuilder("plain.sample.invalid").Build().Pem);

        // act: automatic under Azure Pipelines, paths relative to the checkout
        var (code, output) = CliTests.Run(app, ". --now 2026-01-15 --sarif out.sarif", ("TF_BUILD", "True"), ("BUILD_SOURCESDIRECTORY", dir.Root));

        // assert
        Assert.AreEqual(1, code, output);
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.HasCount(1, lines.Where(l => l.Contains("##", StringComparison.Ordinal)), output);
        var issue = Regex.Match(lines.Single(l => l.Contains("##", StringComparison.Ordinal)),
            @"^##vso\[task\.logissue type=(?<type>error|warning);sourcepath=(?<path>[^;\]]*);linenumber=(?<line>\d+);columnnumber=(?<col>\d+);code=(?<code>MST\d{4})\](?<message>.*)$");
        Assert.IsTrue(issue.Success, output);
        Assert.AreEqual("error", issue.Groups["type"].Value);
        Assert.AreEqual("MST1001", issue.Groups["code"].Value);
        Assert.AreEqual("a%3Bb%5Dc%AZP25d/leaf.pem", issue.Groups["path"].Value, "';', ']' and '%' escaped as the agent decodes them");
        Assert.AreEqual("a;b]c%d/leaf.pem", Unescape(issue.Groups["path"].Value));
        Assert.DoesNotContain("##vso[task.setvariable", issue.Groups["message"].Value);
        Assert.DoesNotContain("##[error]", output);
        StringAssert.Contains(Unescape(issue.Groups["message"].Value), "100%");
        var sarif = SarifFindings(Path.Combine(app, "out.sarif"));
        CollectionAssert.AreEquivalent(sarif.Where(f => f.Level is "error" or "warning").Select(f => (f.Id, f.Line)).ToList(),
            new[] { ("MST1001", int.Parse(issue.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture)) });
    }

    [TestMethod]
    public void GitLabFormat_UnderGitLabCi_WritesACodeQualityReportWithTheSarifFingerprints()
    {
        // arrange
        using var dir = new TempDir();
        dir.Write("certs/leaf.pem", new CertificateBuilder("shop.sample.invalid").MustStaple().Build().Pem);
        dir.Write("certs/ca.pem", new CertificateBuilder("Sample CA").AsCa().MustStaple().Build().Pem);

        // act: automatic under GitLab CI (default report name), and explicit with --gitlab-report
        var (code, output) = CliTests.Run(dir.Root, ". --now 2026-01-15 --sarif out.sarif", ("GITLAB_CI", "true"));
        var (code2, _) = CliTests.Run(dir.Root, ". --now 2026-01-15 --gitlab-report reports/cq.json");

        // assert: the lines still go to the job log; the report parses back to the SARIF findings and fingerprints
        Assert.AreEqual(1, code, output);
        Assert.AreEqual(1, code2);
        StringAssert.Contains(output, "error MST1001");
        var report = Path.Combine(dir.Root, "gl-code-quality-report.json");
        CollectionAssert.AreEqual(File.ReadAllBytes(report), File.ReadAllBytes(Path.Combine(dir.Root, "reports", "cq.json")));
        using var doc = JsonDocument.Parse(File.ReadAllBytes(report));
        var issues = doc.RootElement.EnumerateArray().Select(e => (
            Id: e.GetProperty("check_name").GetString()!,
            Path: e.GetProperty("location").GetProperty("path").GetString()!,
            Line: e.GetProperty("location").GetProperty("lines").GetProperty("begin").GetInt32(),
            Fingerprint: e.GetProperty("fingerprint").GetString()!,
            Severity: e.GetProperty("severity").GetString()!,
            Description: e.GetProperty("description").GetString()!)).ToList();
        var sarif = SarifFindings(Path.Combine(dir.Root, "out.sarif"));
        Assert.IsGreaterThanOrEqualTo(2, issues.Count);
        CollectionAssert.AreEquivalent(sarif.Select(f => (f.Id, f.Path, f.Line, f.Fingerprint)).ToList(), issues.Select(i => (i.Id, i.Path, i.Line, i.Fingerprint)).ToList());
        foreach (var i in issues)
        {
            StringAssert.StartsWith(i.Description, i.Id + ": ");
            Assert.Contains(i.Severity, GitLabSeverities);
        }
        Assert.AreEqual("critical", issues.Single(i => i.Id == "MST1001").Severity);
    }

    private static readonly string[] GitLabSeverities = ["info", "minor", "major", "critical", "blocker"];

    private static string Unescape(string s) => s.Replace("%3B", ";").Replace("%5D", "]").Replace("%0D", "\r").Replace("%0A", "\n").Replace("%AZP25", "%");

    private static List<(string Id, string Level, string Path, int Line, string Fingerprint)> SarifFindings(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
        return doc.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().Select(r =>
        {
            var location = r.GetProperty("locations")[0].GetProperty("physicalLocation");
            return (r.GetProperty("ruleId").GetString()!, r.GetProperty("level").GetString()!,
                Uri.UnescapeDataString(location.GetProperty("artifactLocation").GetProperty("uri").GetString()!),
                location.GetProperty("region").GetProperty("startLine").GetInt32(),
                r.GetProperty("partialFingerprints").GetProperty("mustStapleFinding/v2").GetString()!);
        }).ToList();
    }
}

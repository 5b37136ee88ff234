using System.Text;
using MustStaple.Diagnostics;
using MustStaple.Rules;
using MustStaple.Sarif;
using MustStaple.Testing;

namespace MustStaple.Core.Tests;

/// <summary>File-derived text cannot inject lines or workflow commands, nor flood an output; outputs never follow a link.</summary>
[TestClass]
public sealed class OutputSafetyTests
{
    private const string Forged = "shop\n::error file=x::forged";

    [TestMethod]
    public void SubjectWithNewlineAndWorkflowCommand_IsEscapedInTheMessageAndEveryPrintedLine()
    {
        // arrange: a must-staple certificate without an OCSP URL (MST1001 names its subject), in a folder named like a command
        using var folder = new TestFolder();
        folder.Write("::add-mask::x/leaf.pem", new CertificateBuilder(Forged).MustStaple().Build().Pem);
        folder.Write("::add-mask::x/\n::error file=y::folder/other.pem", new CertificateBuilder("other").MustStaple().Build().Pem);

        // act
        var result = folder.Lint();
        var lines = TestFolder.Lines(result, folder.Root).SelectMany(l => l.Split('\n')).ToList();
        var sarif = Encoding.UTF8.GetString(SarifWriter.Write(result, "1.0.0"));

        // assert: one printed line per finding, none starting with "::", the subject's newline visible as \n
        var d = result.Diagnostics.Single(x => x.Id == "MST1001" && x.Location.Path.EndsWith("leaf.pem", StringComparison.Ordinal));
        Assert.DoesNotContain("\n", d.Message);
        StringAssert.Contains(d.Message, "'shop\\n::error file"); // the subject, its newline escaped
        Assert.HasCount(result.Diagnostics.Count, lines);
        Assert.IsTrue(result.Diagnostics.Any(x => x.Location.Path.Contains("\n::error file=y::", StringComparison.Ordinal)), "the file in the forged folder is reported too");
        Assert.IsFalse(lines.Any(l => l.StartsWith("::", StringComparison.Ordinal)), string.Join("\n", lines));
        Assert.IsTrue(lines.Any(l => l.StartsWith("./::add-mask::x/\\n::error file=y::folder/other.pem(1,1): ", StringComparison.Ordinal)), string.Join("\n", lines));
        Assert.DoesNotContain("\n::", sarif.Replace("\\n", "")); // JSON escapes the raw newline; none survives unescaped
    }

    [TestMethod]
    public void ThreeMegabyteValue_IsCutTo200CharactersWithAnEllipsis()
    {
        // arrange: a configuration Path of 3 MB (MST0003: the message names the path)
        using var folder = new TestFolder();
        var huge = new string('a', 3 * 1024 * 1024);
        folder.Write("appsettings.json", $$"""{ "Kestrel": { "Endpoints": { "Https": { "Url": "https://*:443", "Certificate": { "Path": "{{huge}}.pem" } } } } }""");

        // act
        var result = folder.Lint();
        var text = string.Join("\n", TestFolder.Lines(result, folder.Root)) + Encoding.UTF8.GetString(SarifWriter.Write(result, "1.0.0"));

        // assert
        Assert.IsTrue(result.Diagnostics.Count > 0, "the configuration was read");
        Assert.IsTrue(result.Diagnostics.All(x => x.Message.Length < 2000), string.Join("\n", result.Diagnostics.Select(x => x.Message.Length)));
        Assert.DoesNotContain(new string('a', SafeText.MaxValueLength + 1), text);
        StringAssert.Contains(text, new string('a', 100) + SafeText.Ellipsis);
    }

    [TestMethod]
    public void Escape_ControlCharactersSurrogatesAndBidi_AndKeepsPairs()
    {
        Assert.AreEqual("a\\r\\n\\tb\\u001Bc\\u202Ed\\uD800e😀", SafeText.Escape("a\r\n\tb\u001Bc\u202Ed\uD800e😀"));
        Assert.AreEqual(new string('x', 200) + SafeText.Ellipsis, SafeText.Escape(new string('x', 5000)));
        Assert.AreEqual("./::x", SafeText.Path("::x"));
        Assert.AreEqual("plain/path.pem", SafeText.Path("plain/path.pem"));
    }

    [TestMethod]
    public void OutputFile_RefusesASymbolicLink_AndLeavesItsTargetUntouched()
    {
        using var folder = new TestFolder();
        var target = folder.Write("victim.txt", "precious");
        var link = Path.Combine(folder.Root, "out.sarif");
        File.CreateSymbolicLink(link, target);

        var problem = OutputFile.WriteIfChanged(link, Encoding.UTF8.GetBytes("{}"));

        Assert.IsNotNull(problem);
        StringAssert.Contains(problem, "symbolic link");
        Assert.AreEqual("precious", File.ReadAllText(target));
        Assert.IsNotNull(new FileInfo(link).LinkTarget, "the link is still a link");
    }

    [TestMethod]
    public void OutputFile_WritesThroughATemporaryFile_AndRewritesOnlyWhenTheBytesChange()
    {
        using var folder = new TestFolder();
        var path = Path.Combine(folder.Root, "obj", "muststaple.sarif");

        Assert.IsNull(OutputFile.WriteIfChanged(path, [1, 2, 3]));
        var first = File.GetLastWriteTimeUtc(path);
        File.SetLastWriteTimeUtc(path, first.AddHours(-1));
        Assert.IsNull(OutputFile.WriteIfChanged(path, [1, 2, 3]));
        Assert.AreEqual(first.AddHours(-1), File.GetLastWriteTimeUtc(path), "same bytes: not rewritten");
        Assert.IsNull(OutputFile.WriteIfChanged(path, [4, 5]));

        CollectionAssert.AreEqual(new byte[] { 4, 5 }, File.ReadAllBytes(path));
        Assert.AreEqual("muststaple.sarif", Path.GetFileName(Directory.GetFiles(Path.GetDirectoryName(path)!).Single()), "no temporary file left");
    }

    private static readonly string[] StampFolderFiles = ["muststaple.clean.stamp", "linked.stamp"];

    [TestMethod]
    public void OutputFile_Write_RewritesTheSameBytes_SoAStampsTimeMoves_AndStillRefusesALink()
    {
        // arrange: a stamp an hour old holding exactly the bytes about to be written
        using var folder = new TestFolder();
        var stamp = Path.Combine(folder.Root, "obj", "muststaple.clean.stamp");
        Assert.IsNull(OutputFile.Write(stamp, [1, 2, 3]));
        var old = File.GetLastWriteTimeUtc(stamp).AddHours(-1);
        File.SetLastWriteTimeUtc(stamp, old);
        var target = folder.Write("victim.txt", "precious");
        var link = Path.Combine(folder.Root, "obj", "linked.stamp");
        File.CreateSymbolicLink(link, target);

        // act
        var problem = OutputFile.Write(stamp, [1, 2, 3]);
        var linkProblem = OutputFile.Write(link, [1, 2, 3]);

        // assert: rewritten (newer than an input changed since), same content, no temporary file; the link refused
        Assert.IsNull(problem);
        Assert.IsGreaterThan(old, File.GetLastWriteTimeUtc(stamp));
        CollectionAssert.AreEqual(new byte[] { 1, 2, 3 }, File.ReadAllBytes(stamp));
        StringAssert.Contains(linkProblem, "symbolic link");
        Assert.AreEqual("precious", File.ReadAllText(target));
        CollectionAssert.AreEquivalent(StampFolderFiles, Directory.GetFiles(Path.GetDirectoryName(stamp)!).Select(Path.GetFileName).ToArray());
    }
}

/// <summary>MST0006: how the fronts word a run that could not complete.</summary>
[TestClass]
public sealed class LintCouldNotRunTests
{
    [TestMethod]
    public void Describe_AnExceptionWithAMultiLineMessage_IsOneEscapedLine()
    {
        var line = LintFailure.Describe(new InvalidOperationException("boom\n   at Some.Frame()\n::error::forged"));

        Assert.AreEqual("The lint could not run: InvalidOperationException: boom", line);
        Assert.AreEqual("MST0006", LintFailure.Id);
    }

    [TestMethod]
    public void Describe_AProblemWithFileDerivedText_EscapesIt()
    {
        var line = LintFailure.Describe("'/tmp/a\n::add-mask::b' is a symbolic link");

        Assert.DoesNotContain("\n", line);
        StringAssert.Contains(line, "a\\n::add-mask::b");
    }

    [TestMethod]
    public void Evaluate_ReportsNothingFromFiles_TheFrontsReportIt()
    {
        using var folder = new TestFolder();
        folder.Write("broken.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n");

        var result = folder.Lint();

        Assert.IsFalse(result.Diagnostics.Any(d => d.Id == "MST0006"));
        Assert.IsTrue(result.Rules.Any(r => r.Id == "MST0006" && r.DefaultSeverity == Severity.Error), "listed among the rules (SARIF)");
    }
}

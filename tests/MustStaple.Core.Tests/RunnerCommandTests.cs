using System.Text;
using System.Text.Json;
using MustStaple.Diagnostics;
using MustStaple.Rules;

namespace MustStaple.Core.Tests;

/// <summary>
/// What each CI runner runs from a log line, and that nothing the lint prints matches it: GitHub's runner trims any
/// leading white space (char.IsWhiteSpace) and runs a line starting with <c>::</c>; its legacy parser runs <c>##[</c>
/// anywhere in a line; Azure Pipelines runs <c>##vso[</c> anywhere (any case). Lines split as .NET and the runners do.
/// </summary>
[TestClass]
public sealed class RunnerCommandTests
{
    internal static readonly char[] WhiteSpace = Enumerable.Range(0, 0x10000).Select(i => (char)i).Where(char.IsWhiteSpace).ToArray();

    /// <summary>Every line of <paramref name="output"/> a runner would run as a command.</summary>
    internal static IEnumerable<string> Commands(string output, bool allowOwnGitHubCommands = false)
    {
        foreach (var line in output.Split('\n').SelectMany(l => l.Split('\r')))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("::", StringComparison.Ordinal) && !(allowOwnGitHubCommands && OwnCommand(line))) yield return line;
            else if (line.Contains("##[", StringComparison.Ordinal) || line.Contains("##vso[", StringComparison.OrdinalIgnoreCase)) yield return line;
        }
    }

    // The GitHub sink's own annotation: starts at column 1 with ::error/::warning/::notice file=, and nothing forged after it.
    private static bool OwnCommand(string line) =>
        (line.StartsWith("::error file=", StringComparison.Ordinal) || line.StartsWith("::warning file=", StringComparison.Ordinal)
         || line.StartsWith("::notice file=", StringComparison.Ordinal))
        && !line.Contains("##[", StringComparison.Ordinal) && !line.Contains("##vso[", StringComparison.OrdinalIgnoreCase);

    private static string Hostile(char ws) =>
        $"{ws}::add-mask::secret ##[error]forged ##vso[task.setvariable variable=x]1 ##VSO[task.complete] {ws}{ws}::stop-commands::t";

    [TestMethod]
    public void EveryWhiteSpaceCharacter_BeforeACommand_InPathAndMessage_PrintsNoCommand()
    {
        Assert.IsTrue(WhiteSpace.Length >= 25, "char.IsWhiteSpace covers the Unicode Zs, Zl, Zp characters and the C0 spaces");
        foreach (var ws in WhiteSpace)
        {
            // arrange: a path that starts with the white space and a command, a message argument full of commands
            var d = Diagnostic.Create(MustStapleWithoutOcspResponder.Descriptor, SourceLocation.StartOf($"/repo/{ws}::error::x/{ws}::warning::.pem"), Hostile(ws), Hostile(ws));

            // act: the text line, and the fragments MSBuild prints (file first, message later on the line)
            var text = SafeText.Line(CanonicalFormatter.Format(d, CanonicalFormatter.DisplayPath(d.Location.Path, "/repo")));
            var file = SafeText.Path(d.Location.Path.Substring("/repo/".Length));
            var message = SafeText.Line(d.Message);

            // assert
            Assert.IsEmpty(Commands(text).ToList(), $"U+{(int)ws:X4}: {text}");
            Assert.IsEmpty(Commands(file + "(1,1): warning MST1001: " + message).ToList(), $"U+{(int)ws:X4}");
        }
    }

    [TestMethod]
    public void Line_EscapesOnlyWhatARunnerRuns_AndKeepsJsonTheSameData()
    {
        Assert.AreEqual("a #\\u0023[error] b #\\u0023vso[x] #\\u0023VSO[y] ## c #[d]", SafeText.Line("a ##[error] b ##vso[x] ##VSO[y] ## c #[d]"));
        Assert.AreEqual("\u3000\\u003A:add-mask::x", SafeText.Line("\u3000::add-mask::x"));
        Assert.AreEqual("./\u00A0::error::x", SafeText.Path("\u00A0::error::x"));
        Assert.AreEqual("a::b", SafeText.Line("a::b"));

        // a JSON document printed through it is the same document
        var json = JsonSerializer.Serialize(new { message = "##[error]x ##vso[y] \u2003::z" });
        var printed = SafeText.Line(json);
        Assert.IsEmpty(Commands(printed).ToList());
        Assert.AreEqual("##[error]x ##vso[y] \u2003::z", JsonDocument.Parse(printed).RootElement.GetProperty("message").GetString());
    }

    [TestMethod]
    public void Commands_FindsWhatEachRunnerRuns()
    {
        // the checker itself: each runner rule is recognised (so the tests above can fail)
        foreach (var ws in WhiteSpace) Assert.HasCount(1, Commands($"{ws}{ws}::error::x").ToList(), $"U+{(int)ws:X4}");
        Assert.HasCount(1, Commands("text ##[error]x").ToList());
        Assert.HasCount(1, Commands("text ##VsO[task.complete]").ToList());
        Assert.HasCount(2, Commands("ok\n::debug::x\r##[group]y").ToList());
        Assert.IsEmpty(Commands("a::b ## [x]").ToList());
    }
}

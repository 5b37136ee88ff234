using System.Diagnostics;
using System.Text;
using MustStaple.Core.Tests.Rules;
using MustStaple.Testing;

namespace MustStaple.Core.Tests;

/// <summary>
/// Every parser at 1,000,000 levels of nesting: one MST0001 on the file, the rest of the repository judged, never a
/// stack overflow. A stack overflow ends the whole process whatever thread it happens on, so each case runs in a child
/// process (this test assembly again, filtered to this class, told the case by an environment variable): a failure is a
/// failed test, never a dead test host.
/// </summary>
[TestClass]
public sealed class DeepNestingTests
{
    private const int Levels = 1_000_000;
    private const string ChildVariable = "MUSTSTAPLE_DEEP_NESTING_CASE";
    private const string WebProject = "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>\n";

    public TestContext TestContext { get; set; } = null!;

    /// <summary>The hostile file of each parser: its name and its bytes.</summary>
    internal static (string File, byte[] Bytes) Bomb(string parser, int levels) => parser switch
    {
        "nginx" => ("nginx/nginx.conf", Repeat("http {\n", "a{", levels, "}", levels, "}\n")),
        "apache" => ("apache2/apache2.conf", Repeat("", "<a>\n", levels, "", 0, "")),
        "caddyfile" => ("caddy/Caddyfile", Repeat("", "a {\n", levels, "", 0, "")),
        "caddy-json" => ("caddy/caddy.json", Repeat("", "[", levels, "]", levels, "")),
        "json" => ("app/appsettings.json", Repeat("", "{\"a\":", levels, "}", levels, "")),
        "yaml" => ("app/compose.yaml", Repeat("services:\n  web:\n    environment: ", "[", levels, "]", levels, "\n")),
        "asn1" => ("deep.der", NestedSequences(levels)),
        _ => throw new ArgumentOutOfRangeException(nameof(parser)),
    };

    private static byte[] Repeat(string head, string open, int opens, string close, int closes, string tail)
    {
        var sb = new StringBuilder(head.Length + open.Length * opens + close.Length * closes + tail.Length);
        sb.Append(head);
        for (var i = 0; i < opens; i++) sb.Append(open);
        for (var i = 0; i < closes; i++) sb.Append(close);
        return Encoding.UTF8.GetBytes(sb.Append(tail).ToString());
    }

    // SEQUENCE { SEQUENCE { … } } with four-byte lengths, built from the inside out: 6 bytes a level.
    internal static byte[] NestedSequences(int levels)
    {
        var bytes = new byte[6 * levels];
        for (var i = levels - 1; i >= 0; i--)
        {
            var at = 6 * i;
            var length = 6 * (levels - 1 - i);
            bytes[at] = 0x30;
            bytes[at + 1] = 0x84;
            bytes[at + 2] = (byte)(length >> 24);
            bytes[at + 3] = (byte)(length >> 16);
            bytes[at + 4] = (byte)(length >> 8);
            bytes[at + 5] = (byte)length;
        }
        return bytes;
    }

    [TestMethod]
    [Timeout(180_000, CooperativeCancellation = true)]
    [DataRow("nginx")]
    [DataRow("apache")]
    [DataRow("caddyfile")]
    [DataRow("caddy-json")]
    [DataRow("json")]
    [DataRow("yaml")]
    [DataRow("asn1")]
    public void MillionLevels_IsOneMst0001OnTheFile_AndTheRestIsJudged(string parser)
    {
        var child = Environment.GetEnvironmentVariable(ChildVariable);
        if (child is not null)
        {
            if (child == parser) LintTheBomb(parser); // in the child: only the case it was started for
            return;
        }

        // arrange: this test assembly again, in its own process, running only this case
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(DeepNestingTests).Assembly.Location);
        start.ArgumentList.Add("--filter");
        start.ArgumentList.Add($"FullyQualifiedName~{nameof(DeepNestingTests)}");
        start.Environment[ChildVariable] = parser;

        // act
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.CancellationToken);
        var exited = process.WaitForExit(170_000);
        if (!exited) process.Kill(entireProcessTree: true);

        // assert: the child ran its case and passed (a stack overflow is exit 134 and "Stack overflow." on stderr)
        var text = output.Result + error.Result;
        Assert.IsTrue(exited, "the child did not finish");
        Assert.AreEqual(0, process.ExitCode, text.Length > 4000 ? text.Substring(0, 4000) : text);
    }

    private static void LintTheBomb(string parser)
    {
        using var dir = new TestFolder();
        var leaf = dir.Write("normal/leaf.pem", new CertificateBuilder("normal.example").MustStaple().Build().Pem);
        dir.Write("app/app.csproj", WebProject);
        var (file, bytes) = Bomb(parser, Levels);
        var path = dir.Write(file, bytes);

        var result = dir.Lint();

        Assert.AreEqual(leaf, Expect.Single(result, "MST1001").Location.Path);
        var onBomb = result.Diagnostics.Where(d => d.Location.Path == path).ToList();
        Assert.HasCount(1, onBomb, string.Join("\n", result.Diagnostics.Select(d => $"{d.Id} {d.Location.Path} {d.Message}")));
        // appsettings.json nested past the configuration library's depth is refused by it: the app does not start (MST0008).
        Assert.AreEqual(parser == "json" ? "MST0008" : "MST0001", onBomb[0].Id);
    }
}

using System.Text;
using MustStaple.Core.Tests.Rules;
using MustStaple.Discovery;
using MustStaple.Testing;

namespace MustStaple.Core.Tests;

/// <summary>
/// A repository written by an attacker (a pull request from a fork), placed beside a normal app: the normal app's
/// findings arrive, nothing outside the root is read or reported, and the run ends (each test is bounded).
/// </summary>
[TestClass]
public sealed class HostileInputTests
{
    private static readonly TestCertificate NoOcspLeaf = new CertificateBuilder("normal.example").MustStaple().Build();
    private static readonly TestCertificate OutsideLeaf = new CertificateBuilder("outside-secret.example").MustStaple().Build();
    private static readonly TestCertificate PlainLeaf = new CertificateBuilder("inside.example").Build();

    private static readonly string[] LinkNames = ["cert.pem", "passwd.crt", "zero.pem"];
    private static readonly string[] FifoNames = ["pipe.pem", ".editorconfig", Path.Combine("app", "appsettings.json"), Path.Combine("app", "Dockerfile")];

    private const string WebProject = "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><PropertyGroup><TargetFramework>net10.0</TargetFramework><RuntimeIdentifier>linux-x64</RuntimeIdentifier></PropertyGroup></Project>\n";

    // The normal app: a must-staple leaf without OCSP URL → exactly one MST1001 on normal/leaf.pem.
    private static string NormalApp(TestFolder dir) => dir.Write("normal/leaf.pem", NoOcspLeaf.Pem);

    private static void NormalFindingsIntact(LintResult result, string leafPath) =>
        Assert.AreEqual(leafPath, Expect.Single(result, "MST1001").Location.Path);

    private static void RequirePosix()
    {
        if (OperatingSystem.IsWindows()) Assert.Inconclusive("symbolic links and FIFOs are tested on POSIX systems");
    }

    private static void MkFifo(string path)
    {
        using var p = System.Diagnostics.Process.Start("mkfifo", path)!;
        Assert.IsTrue(p.WaitForExit(5000));
        Assert.AreEqual(0, p.ExitCode);
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void FileLinksOutOfTheRoot_AreNeverOpened_ReportMst0004()
    {
        RequirePosix();
        using var dir = new TestFolder();
        using var outside = new TestFolder();
        var leaf = NormalApp(dir);
        var secret = outside.Write("secret.pem", OutsideLeaf.Pem); // would be MST1001 if it were read
        File.CreateSymbolicLink(Path.Combine(dir.Root, "cert.pem"), secret);
        File.CreateSymbolicLink(Path.Combine(dir.Root, "zero.pem"), "/dev/zero");
        File.CreateSymbolicLink(Path.Combine(dir.Root, "passwd.crt"), "/etc/passwd");

        var result = dir.Lint();

        NormalFindingsIntact(result, leaf);
        var notes = result.Diagnostics.Where(d => d.Id == "MST0004").ToList();
        CollectionAssert.AreEquivalent(LinkNames, notes.Select(d => Path.GetFileName(d.Location.Path)).ToArray());
        Assert.IsTrue(notes.All(d => d.Message.Contains("link to a location outside the repository", StringComparison.Ordinal)));
        Assert.IsFalse(result.Diagnostics.Any(d => d.Message.Contains("outside-secret", StringComparison.Ordinal)), "the outside certificate was read");
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void FolderLinksOutOfTheRoot_AreNotWalked()
    {
        RequirePosix();
        using var dir = new TestFolder();
        using var outside = new TestFolder();
        var leaf = NormalApp(dir);
        outside.Write("deep/other.pem", OutsideLeaf.Pem);
        Directory.CreateSymbolicLink(Path.Combine(dir.Root, "root"), outside.Root);
        Directory.CreateSymbolicLink(Path.Combine(dir.Root, "up"), "..");
        Directory.CreateSymbolicLink(Path.Combine(dir.Root, "normal", "again"), dir.Root); // inside: a loop, walked once

        var result = dir.Lint();

        NormalFindingsIntact(result, leaf);
        Assert.IsFalse(result.Diagnostics.Any(d => SourceRelative(d.Location.Path, dir.Root) is null), "a finding outside the root");
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void ConfigurationPathsOutOfTheRoot_AreNotOpened_ReportMst0004()
    {
        using var dir = new TestFolder();
        using var outside = new TestFolder();
        var leaf = NormalApp(dir);
        var secret = outside.Write("secret.pem", OutsideLeaf.Pem);
        var relative = Path.GetRelativePath(Path.Combine(dir.Root, "app"), secret).Replace('\\', '/');
        dir.Write("app/app.csproj", WebProject);
        var json = "{\"Kestrel\":{\"Endpoints\":{"
            + "\"A\":{\"Url\":\"https://*:5001\",\"Certificate\":{\"Path\":\"" + relative + "\"}},"
            + "\"B\":{\"Url\":\"https://*:5002\",\"Certificate\":{\"Path\":\"" + secret.Replace("\\", "\\\\") + "\"}}}}}";
        dir.Write("app/appsettings.json", json);

        var result = dir.Lint();

        NormalFindingsIntact(result, leaf);
        Assert.HasCount(2, result.Diagnostics.Where(d => d.Id == "MST0004"));
        Assert.IsFalse(result.Diagnostics.Any(d => d.Id.StartsWith("MST1", StringComparison.Ordinal) && d.Location.Path != leaf));
        Assert.IsFalse(result.Diagnostics.Any(d => d.Id == "MST0003"), "existence outside the root must not be probed or told");
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void Fifos_AndLinksToFifos_AreRefusedWithoutWaiting()
    {
        RequirePosix();
        using var dir = new TestFolder();
        var leaf = NormalApp(dir);
        MkFifo(Path.Combine(dir.Root, "pipe.pem"));
        MkFifo(Path.Combine(dir.Root, ".editorconfig"));
        MkFifo(Path.Combine(dir.Root, "app", ".globalconfig").Also(p => Directory.CreateDirectory(Path.GetDirectoryName(p)!)));
        File.CreateSymbolicLink(Path.Combine(dir.Root, "app", "appsettings.json"), Path.Combine(dir.Root, "pipe.pem"));
        File.CreateSymbolicLink(Path.Combine(dir.Root, "app", "Dockerfile"), Path.Combine(dir.Root, "pipe.pem"));
        dir.Write("app/app.csproj", WebProject);

        var result = dir.Lint();

        NormalFindingsIntact(result, leaf);
        var refused = result.Diagnostics.Where(d => d.Id == "MST0001").Select(d => SourceRelative(d.Location.Path, dir.Root)).ToArray();
        CollectionAssert.IsSubsetOf(FifoNames, refused);
        Assert.IsTrue(result.Diagnostics.Where(d => d.Id == "MST0001").All(d => d.Message.Contains("not a regular file", StringComparison.Ordinal)));
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void NulAndControlCharactersInPaths_AreFindingsNotCrashes()
    {
        using var dir = new TestFolder();
        var leaf = NormalApp(dir);
        dir.Write("app/app.csproj", WebProject);
        dir.Write("app/appsettings.json", """{"Kestrel":{"Endpoints":{"A":{"Url":"https://*:5001","Certificate":{"Path":"a\u0000b.pem"}}}}}""");
        dir.Write("app/Dockerfile", "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nCOPY ce\0rt.pem /usr/local/share/ca-certificates/\nENV Kestrel__Certificates__Default__Path=/x\u0001y.pem\n");

        var result = dir.Lint();

        NormalFindingsIntact(result, leaf);
        var invalid = result.Diagnostics.Where(d => d.Id == "MST0003").ToList();
        Assert.HasCount(2, invalid); // the JSON Path and the Dockerfile ENV Path
        Assert.IsTrue(invalid.All(d => d.Message.Contains("not a valid file name", StringComparison.Ordinal)));
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void AReaderThatThrows_BecomesOneMst0001_AndTheOtherFilesStillReport()
    {
        using var dir = new TestFolder();
        var leaf = NormalApp(dir);
        dir.Write("app/app.csproj", WebProject);
        var poisoned = dir.Write("app/appsettings.json", """{"Kestrel":{}}""");
        var poisonedPem = dir.Write("other.pem", PlainLeaf.Pem);

        ReadBoundary.InjectedFault.Value = path =>
        {
            if (path == poisoned || path == poisonedPem) throw new InvalidOperationException("reader bug at offset 42");
        };
        LintResult result;
        try
        {
            result = dir.Lint();
        }
        finally
        {
            ReadBoundary.InjectedFault.Value = null;
        }

        NormalFindingsIntact(result, leaf);
        var faults = result.Diagnostics.Where(d => d.Id == "MST0001").ToList();
        CollectionAssert.AreEquivalent(new[] { poisoned, poisonedPem }, faults.Select(d => d.Location.Path).ToArray());
        Assert.IsTrue(faults.All(d => d.Message.Contains("unexpected structure", StringComparison.Ordinal)));
        Assert.IsFalse(faults.Any(d => d.Message.Contains("InvalidOperationException", StringComparison.Ordinal) || d.Message.Contains("offset 42", StringComparison.Ordinal)),
            "no exception type or exception text in the finding");
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void EditorConfigGlobBombsAndParentSegments_AreBoundedAndReported()
    {
        using var dir = new TestFolder();
        var leaf = NormalApp(dir);
        var bomb = string.Concat(Enumerable.Repeat("{a,b}", 40));
        dir.Write(".editorconfig", $"root = true\n[{bomb}]\ndotnet_diagnostic.MST1001.severity = none\n[src/../*.pem]\ndotnet_diagnostic.MST1001.severity = none\n[*.pem]\ndotnet_diagnostic.MST1001.severity = error\n");

        var result = dir.Lint();

        // the bounded sections are inert; the plain one still applies
        Assert.AreEqual(MustStaple.Diagnostics.Severity.Error, Expect.Single(result, "MST1001").Severity);
        var problems = result.Diagnostics.Where(d => d.Id == "MST0001").Select(d => d.Message).ToList();
        Assert.IsTrue(problems.Any(m => m.Contains("more than 256 patterns", StringComparison.Ordinal)), string.Join("\n", problems));
        Assert.AreEqual(leaf, result.Diagnostics.Single(d => d.Id == "MST1001").Location.Path);
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public void TwentyThousandEndpoints_ComposeInLinearTime()
    {
        using var dir = new TestFolder();
        var leaf = NormalApp(dir);
        dir.Write("app/app.csproj", WebProject);
        var json = new StringBuilder("{\"Kestrel\":{\"Endpoints\":{");
        for (var i = 0; i < 20_000; i++) json.Append(i == 0 ? "" : ",").Append("\"E").Append(i).Append("\":{\"Url\":\"http://*:").Append(1000 + (i % 50000)).Append("\"}");
        dir.Write("app/appsettings.json", json.Append("}}}").ToString());

        var result = dir.Lint();

        NormalFindingsIntact(result, leaf);
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void HugeValues_AreCappedByTheSizeLimit_NotEchoedWhole()
    {
        using var dir = new TestFolder();
        var leaf = NormalApp(dir);
        dir.Write("app/app.csproj", WebProject);
        dir.Write("app/appsettings.json", "{\"Kestrel\":{\"Endpoints\":{\"A\":{\"Url\":\"https://*:1\",\"Certificate\":{\"Path\":\"" + new string('x', 11 * 1024 * 1024) + "\"}}}}}");

        var result = dir.Lint();

        NormalFindingsIntact(result, leaf);
        StringAssert.Contains(Expect.Single(result, "MST0001").Message, "larger than 10 MiB");
    }

    private static string? SourceRelative(string path, string root) => MustStaple.Diagnostics.SourcePaths.RelativeTo(path, root);
}

internal static class TestExtensions
{
    public static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}

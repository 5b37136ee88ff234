using System.Diagnostics;
using System.Text.RegularExpressions;
using MustStaple.Core.Tests.Rules;
using MustStaple.Testing;

namespace MustStaple.Core.Tests;

/// <summary>
/// Outside the root means untouched, as the kernel sees it: the lint runs under strace (in a child process: this test
/// assembly again) over a repository whose committed links lead to a folder outside it and to <c>/</c>, named by a
/// Dockerfile COPY into the CA folder and by nginx includes. No system call opens, lists, stats or reads a link at a
/// path past those links. Inconclusive where strace is not installed (.ci/run installs it).
/// </summary>
[TestClass]
public sealed partial class LinkStraceTests
{
    private const string RootVariable = "MUSTSTAPLE_STRACE_ROOT";

    public TestContext TestContext { get; set; } = null!;

    [GeneratedRegex(@"^\d+\s+\w+\((?:[^,""]*, )?""((?:[^""\\]|\\.)*)""")]
    private static partial Regex FirstPath();

    [GeneratedRegex(@"<(/[^>]*)>")]
    private static partial Regex FdPath();

    [TestMethod]
    [Timeout(180_000, CooperativeCancellation = true)]
    public void LinksLeavingTheRoot_NothingPastThemIsListedStatedOrOpened()
    {
        if (Environment.GetEnvironmentVariable(RootVariable) is { } childRoot)
        {
            // in the child, under strace: lint the prepared repository; the normal finding proves the run happened
            var result = LintEngine.Run(new LintRequest { Paths = [childRoot], Now = TestClock.Now, SourceRoot = childRoot });
            Assert.AreEqual("leaf.pem", Path.GetFileName(Expect.Single(result, "MST1001").Location.Path));
            return;
        }
        if (OperatingSystem.IsWindows() || !File.Exists("/usr/bin/strace")) Assert.Inconclusive("strace is not installed");

        // arrange: trust -> a folder outside with 50 certificates; root -> /
        using var dir = new TestFolder();
        using var outside = new TestFolder();
        for (var i = 0; i < 50; i++) outside.Write($"ca{i}.crt", new CertificateBuilder($"outside{i}.example").MustStaple().Build().Pem);
        dir.Write("normal/leaf.pem", new CertificateBuilder("normal.example").MustStaple().Build().Pem);
        dir.Write("app/app.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>\n");
        dir.Write("app/Dockerfile", "FROM mcr.microsoft.com/dotnet/aspnet:9.0\nCOPY trust/ /usr/local/share/ca-certificates/\nCOPY root/etc/ssl/certs/ /etc/ssl/certs/\n");
        dir.Write("app/nginx/nginx.conf", "events {}\nhttp {\n  include ../trust/*.crt;\n  include ../root/etc/*.conf;\n  include ../root/etc/nginx/nginx.conf;\n}\n");
        dir.Write("app/haproxy/haproxy.cfg", "frontend f\n  bind :443 ssl crt ../trust/ crt ../root/etc/ssl/certs/\n");
        Directory.CreateSymbolicLink(Path.Combine(dir.Root, "app", "trust"), outside.Root);
        Directory.CreateSymbolicLink(Path.Combine(dir.Root, "app", "root"), "/");
        var log = Path.Combine(Path.GetTempPath(), $"muststaple-strace-{Guid.NewGuid():N}.log");
        var start = new ProcessStartInfo("/usr/bin/strace") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-f", "-qq", "-y", "-e", "trace=%file,getdents64", "-o", log, "dotnet", typeof(LinkStraceTests).Assembly.Location,
                     "--filter", $"FullyQualifiedName~{nameof(LinkStraceTests)}" })
            start.ArgumentList.Add(a);
        start.Environment[RootVariable] = dir.Root;

        try
        {
            // act
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(TestContext.CancellationToken);
            var error = process.StandardError.ReadToEndAsync(TestContext.CancellationToken);
            var exited = process.WaitForExit(170_000);
            if (!exited) process.Kill(entireProcessTree: true);
            Assert.IsTrue(exited, "the traced child did not finish");
            if (process.ExitCode != 0 && error.Result.Contains("ptrace", StringComparison.OrdinalIgnoreCase)) Assert.Inconclusive("ptrace is not permitted here");
            Assert.AreEqual(0, process.ExitCode, output.Result + error.Result);

            // assert: no path argument and no descriptor lies past either link
            var past = new[] { outside.Root + "/", Path.Combine(dir.Root, "app", "trust") + "/", Path.Combine(dir.Root, "app", "root") + "/" };
            var lines = File.ReadAllLines(log);
            Assert.IsTrue(lines.Any(l => l.Contains(Path.Combine(dir.Root, "normal"), StringComparison.Ordinal)), "the trace covers the lint");
            var touched = lines.Where(l =>
                    (FirstPath().Match(l) is { Success: true } m && past.Any(p => m.Groups[1].Value.StartsWith(p, StringComparison.Ordinal)))
                    || FdPath().Matches(l).Any(f => f.Groups[1].Value == outside.Root || f.Groups[1].Value.StartsWith(outside.Root + "/", StringComparison.Ordinal)))
                .ToList();
            Assert.IsEmpty(touched, string.Join("\n", touched.Take(20)));
        }
        finally
        {
            File.Delete(log);
        }
    }
}

using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace MustStaple.EndToEnd.Tests;

/// <summary>
/// The README's install commands, run as written (bash) on a machine that has never seen the packages: its own HOME
/// (so its own NuGet sources and global tools folder) and its own empty package cache. Its NuGet configuration starts
/// with no source at all, so only what the README registers is used.
/// </summary>
[TestClass]
public sealed class FirstRunTests
{
    [TestMethod]
    [Timeout(3_000_000, CooperativeCancellation = true)]
    public void ReadmeCommands_FreshMachine_InstallBothPackages_RestoreTheSamples_AndFindTheHeadlineCase()
    {
        // arrange: the README's three blocks; the pack line is what Feed ran (one pack per test run)
        var readme = File.ReadAllText(Path.Combine(Sdk.RepoRoot, "README.md"));
        var clone = Block(readme, "clone");
        var project = Block(readme, "project");
        var tool = Block(readme, "tool");
        Assert.AreEqual("dotnet " + Feed.PackCommand, clone[0], "the README's first command is the pack Feed runs");
        Feed.EnsurePacked();

        var machine = Directory.CreateDirectory(Path.Combine(Feed.Work, "first-run-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var home = Directory.CreateDirectory(Path.Combine(machine, "home")).FullName;
        Directory.CreateDirectory(Path.Combine(home, ".nuget", "NuGet"));
        File.WriteAllText(Path.Combine(home, ".nuget", "NuGet", "NuGet.Config"),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSources>\n    <clear />\n  </packageSources>\n</configuration>\n");
        // The clone: its feed (as packed), its samples and its global.json.
        var repo = Path.Combine(machine, "MustStaple.Build");
        Copy(Feed.Folder, Path.Combine(repo, "artifacts", "feed"));
        Copy(Path.Combine(Sdk.RepoRoot, "samples"), Path.Combine(repo, "samples"));
        File.Copy(Path.Combine(Sdk.RepoRoot, "global.json"), Path.Combine(repo, "global.json"));
        // The user's project: the headline sample without its package reference (the README adds it).
        var app = Feed.CopySample("WebApp.Pfx", machine);
        var csproj = Path.Combine(app, "WebApp.Pfx.csproj");
        File.WriteAllText(csproj, Regex.Replace(File.ReadAllText(csproj), @"\s*<PackageReference Include=""MustStaple\.Build""[^>]*/>", ""));
        File.Delete(Path.Combine(app, "nuget.config"));
        var transcript = new StringBuilder();

        // act
        foreach (var line in clone.Skip(1)) Expect(0, Shell(repo, line, home, transcript), line, transcript);
        foreach (var line in project.Take(1)) Expect(0, Shell(app, line, home, transcript), line, transcript);
        var build = Shell(app, project[1], home, transcript);
        Expect(0, Shell(app, tool[0], home, transcript), tool[0], transcript);
        var lint = Shell(app, tool[1], home, transcript);

        // assert
        StringAssert.Contains(File.ReadAllText(csproj), $"<PackageReference Include=\"MustStaple.Build\" Version=\"{Feed.Version}\"", "dotnet add package took the local prerelease");
        Assert.AreEqual(1, build.Code, transcript.ToString());
        StringAssert.Contains(build.Output, "appsettings.json(9,34): error MST3001", transcript.ToString());
        Assert.AreEqual(1, lint.Code, transcript.ToString());
        StringAssert.Contains(lint.Output, "appsettings.json(9,34): error MST3001", transcript.ToString());
        Assert.IsTrue(File.Exists(Path.Combine(app, "muststaple.sarif")), "the tool wrote its SARIF");
        Assert.IsTrue(Directory.Exists(Path.Combine(repo, "samples", "WebApp.PemChain", "obj")), "the sample restored and built");
    }

    /// <summary>The command lines of the fenced block after <c>&lt;!-- first-run: NAME --&gt;</c>, comments removed.</summary>
    private static string[] Block(string readme, string name)
    {
        var match = Regex.Match(readme, $@"<!-- first-run: {name} -->\s*```shell\n(?<body>.*?)```", RegexOptions.Singleline);
        Assert.IsTrue(match.Success, $"README has a '{name}' first-run block");
        return match.Groups["body"].Value.Split('\n')
            .Select(l => Regex.Replace(l, @"\s+#\s.*$", "").Trim())
            .Where(l => l.Length > 0).ToArray();
    }

    private static (int Code, string Output) Shell(string cwd, string line, string home, StringBuilder transcript)
    {
        var psi = new ProcessStartInfo("bash") { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(line);
        Sdk.PinEnglish(psi);
        psi.Environment["HOME"] = home;
        psi.Environment["DOTNET_CLI_HOME"] = home;
        psi.Environment["NUGET_PACKAGES"] = Path.Combine(home, ".nuget", "packages");
        psi.Environment["PATH"] = Path.Combine(home, ".dotnet", "tools") + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        psi.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        Sdk.PinEnglish(psi.Environment);
        foreach (var name in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "GITHUB_ACTIONS", "TF_BUILD", "GITLAB_CI" }) psi.Environment.Remove(name);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(300_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{line}' did not finish in 300 s\n{transcript}");
        }
        var output = stdout.Result + stderr.Result;
        transcript.Append("$ ").AppendLine(line).AppendLine(output).Append("(exit ").Append(process.ExitCode).AppendLine(")");
        return (process.ExitCode, output);
    }

    private static void Expect(int code, (int Code, string Output) result, string line, StringBuilder transcript) =>
        Assert.AreEqual(code, result.Code, $"'{line}'\n{transcript}");

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(from, file);
            if (rel.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj")) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, rel))!);
            File.Copy(file, Path.Combine(to, rel));
        }
    }
}

using System.Diagnostics;
using System.Text;

namespace MustStaple.EndToEnd.Tests;

/// <summary>Runs the real dotnet CLI with an isolated package cache, bounded in time; keeps a transcript.</summary>
internal static class Sdk
{
    public static readonly string RepoRoot = FindRepoRoot();

    public static (int ExitCode, string Output) Run(string workingDirectory, string arguments, string packagesDir, int timeoutSeconds = 300,
        params (string Name, string Value)[] environment)
    {
        var psi = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["NUGET_PACKAGES"] = packagesDir;
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        psi.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment.Remove("MSBuildExtensionsPath");
        psi.Environment.Remove("MSBuildSDKsPath");
        psi.Environment.Remove("MSBUILD_EXE_PATH");
        foreach (var (name, value) in environment) psi.Environment[name] = value;
        var output = new StringBuilder();
        using var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {arguments} did not finish in {timeoutSeconds}s:\n{output}");
        }
        process.WaitForExit();
        // Commands run from the repository (pack, publish) keep their transcript under artifacts/, never in the tree.
        var transcript = Path.GetFullPath(workingDirectory) == Path.GetFullPath(RepoRoot)
            ? Path.Combine(RepoRoot, "artifacts", "e2e-transcript.txt")
            : Path.Combine(workingDirectory, "transcript.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(transcript)!);
        File.AppendAllText(transcript, $"$ dotnet {arguments}\n{output}\n(exit {process.ExitCode})\n");
        return (process.ExitCode, output.ToString());
    }

    /// <summary>Native AOT links with the platform's C toolchain and zlib: .ci/run installs them, a bare SDK machine has none.</summary>
    public static bool HasCToolchain() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "clang")) || File.Exists(Path.Combine(d, "gcc")))
        && File.Exists("/usr/include/zlib.h");

    private static string FindRepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "MustStaple.Build.sln"))) return d.FullName;
        throw new InvalidOperationException("repository root not found");
    }
}

using System.Diagnostics;
using System.Text;

namespace MustStaple.EndToEnd.Tests;

/// <summary>Runs the real dotnet CLI with an isolated package cache, bounded in time; keeps a transcript.</summary>
internal static class Sdk
{
    public static readonly string RepoRoot = FindRepoRoot();

    /// <summary>
    /// The tests assert English output: a child process (the tool, dotnet, MSBuild) speaks English whatever the
    /// developer's machine is set to (DOTNET_CLI_UI_LANGUAGE=en; no POSIX locale to fall back on). A test of the
    /// languages sets its own variables after this.
    /// </summary>
    public static void PinEnglish(ProcessStartInfo psi)
    {
        psi.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        foreach (var name in new[] { "LANG", "LC_ALL", "LC_MESSAGES" }) psi.Environment.Remove(name);
    }

    public static (int ExitCode, string Output) Run(string workingDirectory, string arguments, string packagesDir, int timeoutSeconds = 300,
        params (string Name, string Value)[] environment)
    {
        var psi = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        PinEnglish(psi);
        psi.Environment["NUGET_PACKAGES"] = packagesDir;
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        psi.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        PinEnglish(psi.Environment);
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

    /// <summary>
    /// Builds and the CLI speak English here, whatever the machine's language (a Japanese developer's
    /// <c>DOTNET_CLI_UI_LANGUAGE=ja</c>, <c>LANG=ja_JP.UTF-8</c>, or the <c>VSLANG</c>/<c>PreferredUILang</c> the SDK sets only when
    /// unset): the assertions read English messages. A test of another
    /// language sets it after this.
    /// </summary>
    public static void PinEnglish(IDictionary<string, string?> environment)
    {
        environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        foreach (var name in new[] { "LANG", "LC_ALL", "LC_MESSAGES", "VSLANG", "PreferredUILang" }) environment.Remove(name);
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

/// <summary>
/// The packages under test, packed once per test run (whichever class needs them first) into a local feed with its
/// own package cache; the tool installed from it as a user would. Thread-safe: end-to-end classes run in parallel.
/// </summary>
internal static class Feed
{
    private static readonly Lazy<bool> Packed = new(Pack, LazyThreadSafetyMode.ExecutionAndPublication);

    public static readonly string Work = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "muststaple-pkg", Guid.NewGuid().ToString("N"))).FullName;
    /// <summary>The feed the README's first command fills (`dotnet run build/pack-local.cs` → artifacts/feed/).</summary>
    public static readonly string Folder = Path.Combine(Sdk.RepoRoot, "artifacts", "feed");
    public static readonly string Packages = Directory.CreateDirectory(Path.Combine(Work, "packages")).FullName;
    public static readonly string Tools = Path.Combine(Work, "tools");

    /// <summary>The tool carries its Native AOT build for linux-x64 when this machine can make one (a C toolchain).</summary>
    public static readonly bool WithNative = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier == "linux-x64" && Sdk.HasCToolchain();

    /// <summary>The version the packages were packed with (from git: never a version a cache already holds).</summary>
    public static string Version { get; private set; } = "";

    /// <summary>The arguments of the README's pack command, after <c>dotnet</c>.</summary>
    public const string PackCommand = "run build/pack-local.cs";

    public static void EnsurePacked() => _ = Packed.Value;

    private static bool Pack()
    {
        var started = Stopwatch.StartNew();
        Progress("packing MustStaple.Build and MustStaple.Lint");
        // The README's own pack command (FirstRunTests checks the README still says it), plus the native helper.
        var native = WithNative ? " -- -p:MustStapleNativeRids=linux-x64" : "";
        var (code, output) = Sdk.Run(Sdk.RepoRoot, PackCommand + native, Packages, timeoutSeconds: 1800);
        if (code != 0) throw new InvalidOperationException(output);
        Version = Directory.GetFiles(Folder, "MustStaple.Lint.*.nupkg").Select(Path.GetFileNameWithoutExtension).Single()!["MustStaple.Lint.".Length..];
        File.WriteAllText(Path.Combine(Work, "nuget.config"), NuGetConfig());
        var (toolCode, toolOutput) = Sdk.Run(Work, $"tool install MustStaple.Lint --version {Version} --tool-path \"{Tools}\" --configfile \"{Path.Combine(Work, "nuget.config")}\"", Packages);
        if (toolCode != 0) throw new InvalidOperationException(toolOutput);
        Progress($"packed {Version} in {started.Elapsed.TotalSeconds:0}s");
        return true;
    }

    public static string NuGetConfig() => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <clear />
            <add key="local" value="{Folder}" />
          </packageSources>
        </configuration>
        """;

    /// <summary>A copy of a sample outside the repository, with its own nuget.config and global.json.</summary>
    public static string CopySample(string name, string? parent = null)
    {
        EnsurePacked();
        var target = Path.Combine(parent ?? Work, name + "-" + Guid.NewGuid().ToString("N")[..8]);
        var source = Path.Combine(Sdk.RepoRoot, "samples", name);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(source, file);
            if (rel.StartsWith("bin", StringComparison.Ordinal) || rel.StartsWith("obj", StringComparison.Ordinal)) continue;
            var dest = Path.Combine(target, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            File.Copy(file, dest);
        }
        PrepareFolder(target);
        return target;
    }

    /// <summary>Gives a folder outside the repository its own nuget.config (the local feed only) and global.json.</summary>
    public static void PrepareFolder(string target)
    {
        File.WriteAllText(Path.Combine(target, "nuget.config"), NuGetConfig());
        File.WriteAllText(Path.Combine(target, "global.json"), $$"""{ "sdk": { "version": "{{Environment.GetEnvironmentVariable("MUSTSTAPLE_TEST_SDK") ?? "10.0.100"}}", "rollForward": "latestFeature" } }""");
    }

    /// <summary>Runs the installed tool; returns its exit code and stdout+stderr.</summary>
    public static (int Code, string Output) RunTool(string cwd, string args, params (string Name, string Value)[] env)
    {
        EnsurePacked();
        var psi = new ProcessStartInfo(Path.Combine(Tools, "dotnet-muststaple-lint"), args) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        Sdk.PinEnglish(psi);
        psi.Environment.Remove("GITHUB_ACTIONS");
        Sdk.PinEnglish(psi.Environment);
        foreach (var (name, value) in env) psi.Environment[name] = value;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the tool did not finish in 60 s");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    // The process's own stderr, not the test framework's captured Console: progress shows while `dotnet test` runs.
    private static readonly StreamWriter Stderr = new(Console.OpenStandardError()) { AutoFlush = true };

    /// <summary>One progress line on the console while `dotnet test` runs (end-to-end tests take minutes).</summary>
    public static void Progress(string message)
    {
        lock (Stderr) Stderr.WriteLine($"[e2e {DateTime.UtcNow:HH:mm:ss}] {message}");
    }
}

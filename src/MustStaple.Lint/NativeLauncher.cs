using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MustStaple.Lint;

/// <summary>
/// The tool package can carry a Native AOT build of this same program for some platforms
/// (<c>native/&lt;rid&gt;/</c> beside this assembly; see the project file). When one matches the machine, the JIT-compiled
/// tool only starts it and passes its exit code on: ~40 ms of runtime start instead of ~250 ms of JIT on every run.
/// Anything unexpected (no build for this platform, no execute permission, <c>MUSTSTAPLE_NATIVE=0</c>) runs in-process.
/// </summary>
internal static class NativeLauncher
{
    public static bool TryRun(string[] args, out int exitCode)
    {
        exitCode = 0;
        if (!RuntimeFeature.IsDynamicCodeSupported) return false; // this is the native build
        if (Environment.GetEnvironmentVariable("MUSTSTAPLE_NATIVE") == "0") return false;
        if (Rid() is not { } rid) return false;
        var path = Path.Combine(AppContext.BaseDirectory, "native", rid,
            "dotnet-muststaple-lint" + (OperatingSystem.IsWindows() ? ".exe" : ""));
        if (!File.Exists(path) || !EnsureExecutable(path)) return false;

        var start = new ProcessStartInfo(path) { UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(start);
            if (process is null) return false;
            process.WaitForExit();
            exitCode = process.ExitCode;
            // The lint exits 0, 1 or 2. 126/127 come from the system: the build cannot run here (e.g. a C library older
            // than the one it was built against, which the dynamic loader reports on stderr before exiting 127).
            if (exitCode is 126 or 127)
            {
                Console.Error.WriteLine($"muststaple-lint: the native build for {rid} could not start here (exit {exitCode}); running without it");
                return false;
            }
            return true;
        }
        catch (Win32Exception)
        {
            return false; // e.g. a noexec mount: run in-process
        }
    }

    private static string? Rid()
    {
        var arch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "x64",
            Architecture.Arm64 => "arm64",
            _ => null,
        };
        if (arch is null) return null;
        if (OperatingSystem.IsLinux()) return IsMusl() ? null : "linux-" + arch;
        if (OperatingSystem.IsMacOS()) return "osx-" + arch;
        if (OperatingSystem.IsWindows()) return "win-" + arch;
        return null;
    }

    // A glibc build does not run on Alpine.
    private static bool IsMusl() => RuntimeInformation.RuntimeIdentifier.Contains("musl", StringComparison.Ordinal);

    // NuGet does not keep Unix file modes, so the extracted executable may lack its execute bit.
    private static bool EnsureExecutable(string path)
    {
        if (OperatingSystem.IsWindows()) return true;
        try
        {
            var mode = File.GetUnixFileMode(path);
            const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            if ((mode & UnixFileMode.UserExecute) == 0) File.SetUnixFileMode(path, mode | execute);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

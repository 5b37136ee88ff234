#!/usr/bin/env dotnet
// Packs MustStaple.Build and MustStaple.Lint into a local NuGet feed, so the README's install commands work before any
// public release. Usage (from anywhere in the clone):
//   dotnet run build/pack-local.cs                       → artifacts/feed/
//   dotnet run build/pack-local.cs -- --output DIR [-p:Name=Value …]   (further arguments go to both `dotnet pack`s)
// Versions come from git (MinVer): 0.1.0-alpha.0.<height> between tags, hence `--prerelease` in the README's commands.
// The feed folder is emptied of older MustStaple packages first, so it holds exactly one version of each.
#:property PublishAot=false
using System.Diagnostics;

var repo = Path.GetFullPath(Path.Combine(AppContext.GetData("EntryPointFileDirectoryPath") as string ?? "build", ".."));
var output = Path.Combine(repo, "artifacts", "feed");
var passThrough = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    if (args[i] is "--output" or "-o" && i + 1 < args.Length) output = Path.GetFullPath(args[++i]);
    else passThrough.Add(args[i]);
}

Directory.CreateDirectory(output);
foreach (var old in Directory.GetFiles(output, "MustStaple.*.nupkg")) File.Delete(old);

foreach (var project in new[] { "src/MustStaple.Build", "src/MustStaple.Lint" })
{
    var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = repo };
    foreach (var a in new[] { "pack", project, "-c", "Release", "-o", output, "-nologo" }.Concat(passThrough)) psi.ArgumentList.Add(a);
    // A parent `dotnet run`/`dotnet test` may point these at its own MSBuild; the pack must find the SDK's.
    foreach (var name in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH" }) psi.Environment.Remove(name);
    using var process = Process.Start(psi)!;
    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        Console.Error.WriteLine($"pack-local: dotnet pack {project} failed (exit {process.ExitCode})");
        return process.ExitCode;
    }
}

var lint = Directory.GetFiles(output, "MustStaple.Lint.*.nupkg").Select(Path.GetFileNameWithoutExtension).Single()!;
Console.WriteLine($"feed: {output}");
Console.WriteLine($"version: {lint["MustStaple.Lint.".Length..]}");
return 0;

#!/usr/bin/env dotnet
// What a lint run uses of its work budget (issue 17): for each counted kind, the run's total and the most any one file
// used, beside the limits. Run it on real repositories to check the limits are far above what they need (README, Security).
// Usage: dotnet run build/budget-usage.cs -- <folder> [<folder>…]
#:project ../src/MustStaple.Core/MustStaple.Core.csproj
#:property PublishAot=false
using MustStaple;
using MustStaple.Discovery;

foreach (var folder in args)
{
    var budget = new WorkBudget();
    var started = System.Diagnostics.Stopwatch.StartNew();
    var result = LintEngine.Run(new LintRequest { Paths = [Path.GetFullPath(folder)], Now = DateTimeOffset.UtcNow, Budget = budget });
    Console.WriteLine($"{folder}: {result.FilesRead} files read, {result.Diagnostics.Count} findings, {started.ElapsedMilliseconds} ms");
    foreach (var kind in new[] { WorkKind.Bytes, WorkKind.Nodes, WorkKind.Files, WorkKind.Edges, WorkKind.Mounts, WorkKind.KdfIterations })
    {
        var (most, path) = budget.MostByOneFile(kind);
        Console.WriteLine($"  {kind,-14} run {budget.Used(kind),12:N0} / {budget.Limits.PerRun[(int)kind],14:N0}   one file {most,10:N0} / {budget.Limits.PerFile[(int)kind],11:N0}  {(path is null ? "" : Path.GetRelativePath(folder, path))}");
    }
    Console.WriteLine($"  {"Depth",-14} deepest {budget.DeepestNesting} / {budget.Limits.MaxDepth}");
}

using System.Collections.Concurrent;
using System.Diagnostics;

// End-to-end tests are independent (each works in its own folders, ports and package cache): run them side by side.
// Two workers on the two cores the suite is sized for; a real build is mostly waiting on I/O and child processes.
[assembly: Parallelize(Workers = 3, Scope = ExecutionScope.MethodLevel)]

namespace MustStaple.EndToEnd.Tests;

/// <summary>Prints a line as each end-to-end test starts and ends, so a long `dotnet test` is never silent.</summary>
[TestClass]
public static class Progress
{
    private static readonly ConcurrentDictionary<string, Stopwatch> Running = new();
    private static readonly ConcurrentQueue<(string Test, string Reason)> Skipped = new();

    [AssemblyCleanup]
    public static void DeleteFeed()
    {
        try { Directory.Delete(Feed.Work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        ReportSkipped();
    }

    // Printed last, just above the runner's summary: "Passed!" with proofs skipped must not read as all proven.
    private static void ReportSkipped()
    {
        if (Skipped.IsEmpty) return;
        Feed.Progress($"SKIPPED {Skipped.Count} test(s): not proven on this machine (inconclusive), by reason:");
        foreach (var group in Skipped.GroupBy(s => s.Reason).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
            Feed.Progress($"  {group.Count()} x {group.Key}: {string.Join(", ", group.Select(s => s.Test).Order(StringComparer.Ordinal))}");
        Feed.Progress("  to run the real-server proofs: apt-get install nginx haproxy apache2 caddy gnutls-bin clang zlib1g-dev (README: Testing)");
    }

    [GlobalTestInitialize]
    public static void Started(TestContext context)
    {
        Running[context.FullyQualifiedTestClassName + "." + context.TestName] = Stopwatch.StartNew();
        Feed.Progress($"start {context.TestName}");
    }

    [GlobalTestCleanup]
    public static void Finished(TestContext context)
    {
        var key = context.FullyQualifiedTestClassName + "." + context.TestName;
        var seconds = Running.TryRemove(key, out var watch) ? watch.Elapsed.TotalSeconds : 0;
        Feed.Progress($"{context.CurrentTestOutcome.ToString().ToLowerInvariant(),-12} {context.TestName} ({seconds:0.0}s)");
        if (context.CurrentTestOutcome == UnitTestOutcome.Inconclusive)
            Skipped.Enqueue((context.TestName ?? key, (context.TestException?.Message ?? "inconclusive").Replace("Assert.Inconclusive failed.", "").Trim()));
    }
}

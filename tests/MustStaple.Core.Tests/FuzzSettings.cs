namespace MustStaple.Core.Tests;

/// <summary>
/// Seed and size of the fuzz tests: fixed and fast in CI; <c>build/fuzz.sh</c> sets <c>MUSTSTAPLE_FUZZ_SEED</c> and
/// <c>MUSTSTAPLE_FUZZ_SCALE</c> for long runs. Every failure message names the seed and the case to replay it.
/// </summary>
internal static class FuzzSettings
{
    public static int Seed { get; } = int.TryParse(Environment.GetEnvironmentVariable("MUSTSTAPLE_FUZZ_SEED"), out var s) ? s : 20261123;

    public static int Scale { get; } = int.TryParse(Environment.GetEnvironmentVariable("MUSTSTAPLE_FUZZ_SCALE"), out var n) && n > 0 ? n : 1;

    public static string Replay(int i) => $"case {i} (replay: MUSTSTAPLE_FUZZ_SEED={Seed} MUSTSTAPLE_FUZZ_SCALE={Scale})";
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace MustStaple.Discovery;

/// <summary>What a reader counts against the run's <see cref="WorkBudget"/>.</summary>
public enum WorkKind
{
    /// <summary>Bytes read from inputs.</summary>
    Bytes,

    /// <summary>Configuration nodes and directives as consumers see them: an alias or an include counts each time it is used.</summary>
    Nodes,

    /// <summary>Directory entries listed (include globs, certificate folders, the walk).</summary>
    Files,

    /// <summary>Include edges (nginx/Apache <c>include</c>, HAProxy <c>crt</c>/<c>crt-list</c>) and Dockerfile <c>COPY --from</c> edges.</summary>
    Edges,

    /// <summary>Container mounts: files placed in an image or a container by <c>COPY</c>, <c>ADD</c> or a volume.</summary>
    Mounts,

    /// <summary>Key-derivation iterations (PKCS#12 MAC and bag decryption), every password tried included.</summary>
    KdfIterations,
}

/// <summary>
/// The limits of a <see cref="WorkBudget"/>: each <see cref="WorkKind"/> has a limit per file (the input being judged)
/// and one for the whole run, plus the nesting depth any parser may reach. Sized well above what real repositories
/// use (measured in the README's Security section) and well below what takes a CI job down.
/// </summary>
public sealed record WorkLimits
{
    /// <summary>The limits the lint runs with.</summary>
    public static readonly WorkLimits Default = new();

    /// <summary>Per file, indexed by <see cref="WorkKind"/>.</summary>
    public IReadOnlyList<long> PerFile { get; init; } = [InputFile.MaxSize, 100_000, 10_000, 1_024, 100_000, 2_000_000];

    /// <summary>For the whole run, indexed by <see cref="WorkKind"/>.</summary>
    public IReadOnlyList<long> PerRun { get; init; } = [1L << 30, 2_000_000, 1_000_000, 20_000, 1_000_000, 4_000_000];

    /// <summary>The deepest nesting a parser follows (blocks, sections, JSON/YAML collections, ASN.1).</summary>
    public int MaxDepth { get; init; } = 128;
}

/// <summary>
/// Thrown when a charge exhausts a limit. <see cref="ReadBoundary"/> turns it into the one <c>MST0001</c> on the file
/// being read, with <see cref="Exception.Message"/> naming the limit; that input is judged no further and the run goes on.
/// </summary>
public sealed class WorkLimitException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public WorkLimitException(string path, WorkKind kind, string message) : base(message)
    {
        Path = path;
        Kind = kind;
    }

    /// <summary>The file whose reading reached the limit.</summary>
    public string Path { get; }

    /// <summary>What was counted.</summary>
    public WorkKind Kind { get; }
}

/// <summary>
/// The run's work budget: one per lint run, reached through <see cref="InputReader.Budget"/> by every reader.
/// Usage, inside a reader's <see cref="ReadBoundary.Guard{T}"/>:
/// <code>
/// budget.Charge(path, WorkKind.Nodes);          // once per node a consumer reads (an alias or include: per use)
/// budget.Charge(path, WorkKind.Bytes, n);       // bytes read (InputReader.Read charges them itself)
/// budget.Depth(path, depth);                    // on entering a nested block, collection or ASN.1 element
/// </code>
/// A charge over the file's limit or the run's throws <see cref="WorkLimitException"/>; the boundary makes it one
/// <c>MST0001</c> naming the file and the limit. Once a run limit is reached every later charge of that kind throws too,
/// so the run finishes quickly with each unjudged input named. Thread-safe.
/// </summary>
public sealed class WorkBudget
{
    private const int Kinds = (int)WorkKind.KdfIterations + 1;

    private readonly long[] _run;
    private readonly ConcurrentDictionary<string, long[]> _files = new(StringComparer.Ordinal);

    /// <summary>Creates a budget with <paramref name="limits"/> (default: <see cref="WorkLimits.Default"/>).</summary>
    public WorkBudget(WorkLimits? limits = null)
    {
        Limits = limits ?? WorkLimits.Default;
        _run = new long[Kinds];
    }

    /// <summary>The limits this budget enforces.</summary>
    public WorkLimits Limits { get; }

    /// <summary>Counts <paramref name="amount"/> of <paramref name="kind"/> for <paramref name="path"/>; throws <see cref="WorkLimitException"/> past a limit.</summary>
    public void Charge(string path, WorkKind kind, long amount = 1)
    {
        var k = (int)kind;
        var file = _files.GetOrAdd(path, _ => new long[Kinds]);
        // Bytes: each reader that opens a file reads it whole, so per file the largest read counts (two readers of one 6 MiB
        // compose file are not 12 MiB of it); the run's total still counts every read.
        var fileUsed = kind == WorkKind.Bytes ? Max(ref file[k], amount) : Interlocked.Add(ref file[k], amount);
        var runUsed = Interlocked.Add(ref _run[k], amount);
        if (fileUsed > Limits.PerFile[k])
            throw new WorkLimitException(path, kind, $"it reached the lint's limit of {Count(Limits.PerFile[k])} {Describe(kind)} per file, so it was judged no further");
        if (runUsed > Limits.PerRun[k])
            throw new WorkLimitException(path, kind, $"the run reached the lint's limit of {Count(Limits.PerRun[k])} {Describe(kind)} for all files together while reading it, so it was judged no further");
    }

    private static long Max(ref long slot, long value)
    {
        for (var seen = Interlocked.Read(ref slot); ; seen = Interlocked.Read(ref slot))
        {
            if (value <= seen) return seen;
            if (Interlocked.CompareExchange(ref slot, value, seen) == seen) return value;
        }
    }

    /// <summary>Throws <see cref="WorkLimitException"/> when <paramref name="depth"/> is past <see cref="WorkLimits.MaxDepth"/> or the thread's stack runs short.</summary>
    public void Depth(string path, int depth)
    {
        for (var seen = _deepest; depth > seen; seen = _deepest)
            if (Interlocked.CompareExchange(ref _deepest, depth, seen) == seen) break;
        if (depth > Limits.MaxDepth || !HasStack())
            throw new WorkLimitException(path, WorkKind.Nodes, $"it nests deeper than the lint's limit of {Limits.MaxDepth} levels, so it was judged no further");
    }

    // A second line of defence under the depth limit: a thread with a small stack stops before it overflows.
    private static bool HasStack()
    {
#if NET
        return RuntimeHelpers.TryEnsureSufficientExecutionStack();
#else
        try
        {
            RuntimeHelpers.EnsureSufficientExecutionStack();
            return true;
        }
        catch (InsufficientExecutionStackException)
        {
            return false;
        }
#endif
    }

    /// <summary>The deepest nesting a parser reported to <see cref="Depth"/> in this run.</summary>
    public int DeepestNesting => Volatile.Read(ref _deepest);

    private int _deepest;

    /// <summary>How much of <paramref name="kind"/> the run has used so far.</summary>
    public long Used(WorkKind kind) => Interlocked.Read(ref _run[(int)kind]);

    /// <summary>The most of <paramref name="kind"/> any one file has used, and which file (null when none): what the per-file limits are sized against.</summary>
    public (long Used, string? Path) MostByOneFile(WorkKind kind)
    {
        (long, string?) most = (0, null);
        foreach (var f in _files)
        {
            var used = Interlocked.Read(ref f.Value[(int)kind]);
            if (used > most.Item1) most = (used, f.Key);
        }
        return most;
    }

    /// <summary>How much of <paramref name="kind"/> <paramref name="path"/> has used so far.</summary>
    public long Used(string path, WorkKind kind) => _files.TryGetValue(path, out var f) ? Interlocked.Read(ref f[(int)kind]) : 0;

    /// <summary>The words a limit is named by in a finding.</summary>
    public static string Describe(WorkKind kind) => kind switch
    {
        WorkKind.Bytes => "bytes read",
        WorkKind.Nodes => "configuration nodes (aliases and includes count each time they are used)",
        WorkKind.Files => "directory entries listed",
        WorkKind.Edges => "include and COPY --from edges",
        WorkKind.Mounts => "container mounts",
        WorkKind.KdfIterations => "key-derivation iterations (every password tried)",
        _ => kind.ToString(),
    };

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}

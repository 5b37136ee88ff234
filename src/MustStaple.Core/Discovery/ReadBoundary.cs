using System.Collections.Concurrent;
using MustStaple.Certificates;
using MustStaple.Diagnostics;
using MustStaple.Kestrel;
using MustStaple.Rules;

namespace MustStaple.Discovery;

/// <summary>
/// The fault boundary around every reader: whatever a reader throws on one file's content becomes one <c>MST0001</c>
/// on that file, in words (no exception type, no stack trace, no file content), and the run goes on.
/// </summary>
public static class ReadBoundary
{
    /// <summary>Tests only: called with each path just before its reader runs, inside the boundary (to inject a failing reader).</summary>
    internal static readonly AsyncLocal<Action<string>?> InjectedFault = new();

    /// <summary>Runs <paramref name="read"/> on <paramref name="path"/>; a throw becomes <paramref name="onFault"/> of a load error.</summary>
    public static T Guard<T>(string path, string what, Func<T> read, Func<LoadError, T> onFault)
    {
        try
        {
            InjectedFault.Value?.Invoke(path);
            return read();
        }
#pragma warning disable CA1031 // the boundary exists to catch whatever a reader throws on hostile bytes
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return onFault(Fault(path, what, ex));
        }
    }

    /// <summary>The load error a failed reader leaves on <paramref name="path"/>: the limit it reached, or that its structure is unexpected.</summary>
    public static LoadError Fault(string path, string what, Exception? exception = null) =>
        exception is WorkLimitException limit
            ? new(SourceLocation.StartOf(limit.Path), limit.Message) // the file whose reading reached the limit
            : new(SourceLocation.StartOf(path), Localization.Texts.Input.Text("Fault", what));
}

/// <summary>
/// The engine's reader of configuration-like inputs: every file through <see cref="InputFile"/>, once; what cannot be
/// read is kept as a problem on that file instead of being treated as absent.
/// </summary>
public sealed class InputReader
{
    private readonly string _sourceRoot;
    private readonly ConcurrentDictionary<string, LoadProblem> _problems = new(StringComparer.Ordinal);

    /// <summary>Creates a reader confined to <paramref name="sourceRoot"/>, drawing on <paramref name="budget"/> (default: a new one for this run).</summary>
    public InputReader(string sourceRoot, WorkBudget? budget = null)
    {
        _sourceRoot = sourceRoot;
        Budget = budget ?? new WorkBudget();
    }

    /// <summary>The run's work budget: every reader handed this reader (or its <see cref="Read"/>) draws on it.</summary>
    public WorkBudget Budget { get; }

    /// <summary>
    /// The bytes of <paramref name="path"/>, or null (and a recorded problem) when it cannot be read. The bytes are
    /// charged to the budget; past a limit the file is not returned and the limit is its problem (never a throw).
    /// </summary>
    public byte[]? Read(string path)
    {
        var read = InputFile.Read(path, _sourceRoot);
        if (read.Bytes is not null)
        {
            try
            {
                Budget.Charge(path, WorkKind.Bytes, read.Bytes.Length);
            }
            catch (WorkLimitException ex)
            {
                Report(path, RuleIds.UnreadableInput, Localization.Texts.Input.Text("WasNotRead", Path.GetFileName(path), ex.Message));
                return null;
            }
            return read.Bytes;
        }
        if (read.Refusal != InputRefusal.Missing) Report(path, read);
        return null;
    }

    /// <summary>Records a problem on <paramref name="path"/> (the first one per file is kept).</summary>
    public void Report(string path, string ruleId, string message) => Report(path, ruleId, Localization.LocalizedText.Plain(message));

    /// <summary>Records a problem with <paramref name="path"/> worded in every language (the first one per file wins).</summary>
    public void Report(string path, string ruleId, Localization.LocalizedText message) =>
        _problems.TryAdd(path, new LoadProblem(ruleId, SourceLocation.StartOf(path), message));

    /// <summary>Every recorded problem, in path order.</summary>
    public IReadOnlyList<LoadProblem> Problems =>
        _problems.Values.OrderBy(p => p.Location.Path, StringComparer.Ordinal).ToArray();

    private void Report(string path, InputRead read) =>
        Report(path, RuleIds.UnreadableInput, Localization.Texts.Input.Text("WasNotRead", Path.GetFileName(path), read.Problem));
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Build.Framework;
using MustStaple.Discovery;
using MustStaple.Sarif;
using Task = Microsoft.Build.Utilities.Task;

namespace MustStaple.Build;

/// <summary>
/// Runs before <c>MustStapleLint</c> on every build and tells MSBuild what the lint depends on, so the target is skipped
/// only when truly nothing changed: the inputs under the project folder (a walk that never enters <c>bin</c>, <c>obj</c>,
/// <c>.git</c>, <c>node_modules</c> or a linked folder), every <c>.editorconfig</c>/<c>.globalconfig</c> from the project
/// folder up to the source root, and every file the last run read or looked for, wherever it lives. What timestamps
/// cannot show — a setting, a file that appeared or disappeared — goes into a hash file, rewritten only when the hash
/// changes (as the SDK does for its own caches). A clean stamp past the instant its verdicts could change is deleted.
/// </summary>
public sealed class MustStapleInputs : Task
{
    internal const string StateHeader = "muststaple-inputs 1";

    /// <summary>The project folder (the content root).</summary>
    [Required] public string ProjectDirectory { get; set; } = "";

    /// <summary>The linted source root; default: the repository root above the project.</summary>
    public string? SourceRoot { get; set; }

    /// <summary>Every setting the lint reads, as one text (properties, the package version).</summary>
    public string? Settings { get; set; }

    /// <summary>The hash file (an input of the lint target), rewritten only when the hash changes.</summary>
    [Required] public string HashFile { get; set; } = "";

    /// <summary>What the last run read (written by <see cref="MustStapleLint"/>).</summary>
    [Required] public string StateFile { get; set; } = "";

    /// <summary>
    /// The clean stamp (the lint target's output); deleted when it has expired. Empty for the analyzer's facts target,
    /// which takes its inputs and its settings hash from this task too, but whose output does not expire.
    /// </summary>
    public string? StampFile { get; set; }

    /// <summary>The SARIF log; a missing one re-runs the lint.</summary>
    public string? SarifFile { get; set; }

    /// <summary>True when the lint judges at the current time (MustStapleNow empty): the stamp can expire.</summary>
    public bool UsesClock { get; set; } = true;

    /// <summary>
    /// The instant standing in for the wall clock when the stamp's expiry is judged (ISO 8601; empty: now). Set by the
    /// build from the private <c>_MustStapleClock</c> property, which also judges the lint at that instant: a test of
    /// a certificate that expires then needs no wait. Unlike MustStapleNow, it is no setting and goes into no hash.
    /// </summary>
    public string? Clock { get; set; }

    /// <summary>The files whose timestamps the lint target compares with its stamp.</summary>
    [Output] public ITaskItem[] Inputs { get; set; } = [];

    /// <inheritdoc />
    public override bool Execute()
    {
        var project = Path.GetFullPath(ProjectDirectory);
        var root = string.IsNullOrWhiteSpace(SourceRoot) ? AssetDiscovery.FindRepositoryRoot(project) : Path.GetFullPath(SourceRoot);
        var state = ReadState(StateFile);
        var found = new SortedSet<string>(StringComparer.Ordinal);
        Walk(project, found);
        foreach (var config in AnalyzerConfigsUpTo(project, root).Where(File.Exists)) found.Add(config);
        // What the last run read and is gone now (a deleted certificate) changes the hash; what is still there is an
        // input, so a change to it (wherever it lives) is newer than the stamp.
        var missing = state.Files.Where(f => !found.Contains(f) && !File.Exists(f)).ToArray();
        var inputs = new SortedSet<string>(found, StringComparer.Ordinal);
        foreach (var file in state.Files.Except(missing, StringComparer.Ordinal)) inputs.Add(file);
        Inputs = inputs.Select(f => (ITaskItem)new Microsoft.Build.Utilities.TaskItem(f)).ToArray();

        var now = DateTimeOffset.TryParse(Clock, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var clock)
            ? clock : DateTimeOffset.UtcNow;
        if (!string.IsNullOrWhiteSpace(StampFile)
            && (state.Until is null || (UsesClock && state.Until <= now)
                || (!string.IsNullOrWhiteSpace(SarifFile) && !File.Exists(SarifFile))))
        {
            if (OutputFile.Delete(StampFile!) is { } problem) Log.LogWarning(null, Rules.LintFailure.Id, null, StampFile, 0, 0, 0, 0, problem);
        }

        var hash = new StringBuilder(Settings ?? "").Append('\n').Append(typeof(MustStapleInputs).Assembly.ManifestModule.ModuleVersionId).Append('\n');
        foreach (var file in found) hash.Append(file).Append('\n');
        foreach (var file in missing) hash.Append("missing ").Append(file).Append('\n');
        var text = Hex(Sha256(Encoding.UTF8.GetBytes(hash.ToString()))) + "\n";
        if (OutputFile.WriteIfChanged(HashFile, Encoding.UTF8.GetBytes(text)) is { } writeProblem)
            Log.LogError(null, Rules.LintFailure.Id, null, Diagnostics.SafeText.Path(HashFile), 0, 0, 0, 0, Rules.LintFailure.Describe(writeProblem));
        return !Log.HasLoggedErrors;
    }

    /// <summary>What the last run left: the files it depended on, and until when a clean verdict holds.</summary>
    internal sealed record State(IReadOnlyList<string> Files, DateTimeOffset? Until);

    internal static State ReadState(string path)
    {
        // obj/ may come from a repository: read it as any input is read (a regular file, capped, never a link out of obj/).
        var full = Path.GetFullPath(path);
        if (OutputFile.IsLink(new FileInfo(full))) return new State([], null);
        var read = InputFile.Read(full, Path.GetDirectoryName(full)!, 16 * 1024 * 1024);
        if (read.Bytes is null || TextDecoder.Decode(read.Bytes).Text is not { } text) return new State([], null);
        var lines = text.Split('\n');
        if (lines.Length == 0 || lines[0] != StateHeader) return new State([], null);
        DateTimeOffset? until = null;
        var files = new List<string>();
        foreach (var line in lines.Skip(1))
        {
            var space = line.IndexOf(' ');
            if (space < 0) continue;
            var (key, value) = (line.Substring(0, space), line.Substring(space + 1));
            if (key == "until")
                until = value == "never" ? DateTimeOffset.MaxValue
                    : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var t) ? t : null;
            else if (key == "file" && Path.IsPathRooted(value))
                files.Add(value);
        }
        return new State(files, until);
    }

    internal static string FormatState(IEnumerable<string> files, DateTimeOffset? until, bool clean)
    {
        var sb = new StringBuilder(StateHeader).Append('\n');
        if (clean) sb.Append("until ").Append(until?.ToString("o", CultureInfo.InvariantCulture) ?? "never").Append('\n');
        foreach (var f in files.Where(f => f.IndexOfAny(['\n', '\r']) < 0)) sb.Append("file ").Append(f).Append('\n');
        return sb.ToString();
    }

    private static readonly HashSet<string> SkippedFolders = new(StringComparer.OrdinalIgnoreCase) { "bin", "obj", ".git", "node_modules" };

    // The same files the lint would find, without entering folders it skips or following links: cheap on a project
    // beside a 20,000-file node_modules. Files reached through a link are in the state file (the last run read them).
    private static void Walk(string dir, SortedSet<string> files)
    {
        var pending = new Stack<string>();
        pending.Push(dir);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            IEnumerable<FileSystemInfo> entries;
            try
            {
                entries = new DirectoryInfo(current).EnumerateFileSystemInfos().ToList();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.SecurityException)
            {
                continue;
            }
            foreach (var entry in entries)
            {
                if (entry is DirectoryInfo sub)
                {
                    if (!SkippedFolders.Contains(sub.Name) && !OutputFile.IsLink(sub)) pending.Push(sub.FullName);
                }
                else if (AssetClassifier.Classify(entry.Name) is not null)
                {
                    files.Add(entry.FullName);
                }
            }
        }
    }

    // .editorconfig / .globalconfig in every folder from the project up to the source root, present or not: the hash
    // holds which exist, so one that appears (or goes) re-runs the lint.
    private static IEnumerable<string> AnalyzerConfigsUpTo(string project, string root)
    {
        for (var d = project; d is not null; d = Path.GetDirectoryName(d))
        {
            yield return Path.Combine(d, ".editorconfig");
            yield return Path.Combine(d, ".globalconfig");
            if (string.Equals(d.TrimEnd(Path.DirectorySeparatorChar), root.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal)) yield break;
        }
    }

    private static byte[] Sha256(byte[] data)
    {
#if NET
        return SHA256.HashData(data);
#else
        using var sha = SHA256.Create();
        return sha.ComputeHash(data);
#endif
    }

    private static string Hex(byte[] bytes) => string.Concat(bytes.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
}

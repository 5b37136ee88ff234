using MustStaple.Diagnostics;

namespace MustStaple.Core.Tests;

/// <summary>A temporary folder outside the repository, deleted on dispose.</summary>
internal sealed class TestFolder : IDisposable
{
    public TestFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "muststaple-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Write(string relative, string text) => Write(relative, System.Text.Encoding.UTF8.GetBytes(text));

    public string Write(string relative, byte[] bytes)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public LintResult Lint(Func<LintRequest, LintRequest>? configure = null)
    {
        var request = new LintRequest { Paths = [Root], Now = Testing.TestClock.Now, SourceRoot = Root };
        return LintEngine.Run(configure?.Invoke(request) ?? request);
    }

    public static IEnumerable<string> Lines(LintResult result, string root) =>
        result.Diagnostics.Select(d => CanonicalFormatter.Format(d, CanonicalFormatter.DisplayPath(d.Location.Path, root)));

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

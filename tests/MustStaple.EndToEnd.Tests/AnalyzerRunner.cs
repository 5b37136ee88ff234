using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using MustStaple.Analyzers;

namespace MustStaple.EndToEnd.Tests;

/// <summary>Compiles a Program.cs against this process's framework (ASP.NET Core included) and runs the analyzer with a facts file.</summary>
internal static class AnalyzerRunner
{
    private static readonly MetadataReference[] Platform =
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => p.EndsWith(".dll", StringComparison.Ordinal))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();

    /// <summary>Every analyzer finding as "ID line" (1-based); fails on compile errors so a typo cannot pass as "silent".</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(string program, string facts)
    {
        var tree = CSharpSyntaxTree.ParseText(program, path: "Program.cs");
        var compilation = CSharpCompilation.Create("App", [tree], Platform, new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.IsEmpty(errors, string.Join("\n", errors));
        var options = new AnalyzerOptions([new Text("obj/muststaple.codefacts.txt", facts)]);
        var diagnostics = await compilation.WithAnalyzers([new KestrelTlsAnalyzer()], options).GetAnalyzerDiagnosticsAsync();
        return diagnostics.Select(d => $"{d.Id} {d.Location.GetLineSpan().StartLinePosition.Line + 1}").OrderBy(s => s, StringComparer.Ordinal).ToList();
    }

    private sealed class Text(string path, string text) : AdditionalText
    {
        public override string Path => path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }
}

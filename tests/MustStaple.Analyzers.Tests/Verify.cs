using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace MustStaple.Analyzers.Tests;

/// <summary>Runs the analyzer (and its code fix) over a Program.cs with a facts file, as the package's targets hand it over.</summary>
internal static class Verify
{
    /// <summary>The facts file path the targets use (under obj/).</summary>
    public const string FactsPath = "/0/obj/muststaple.codefacts.txt";

    private static readonly MetadataReference[] Platform =
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => p.EndsWith(".dll", StringComparison.Ordinal))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();

    /// <summary>No reference-assembly package: the platform's own assemblies are added instead.</summary>
    private static readonly ReferenceAssemblies None = new("net10.0");

    public const string Usings = """
        using System;
        using System.IO;
        using System.Net.Security;
        using System.Security.Cryptography.X509Certificates;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Hosting;
        using Microsoft.AspNetCore.Server.Kestrel.Core;
        using Microsoft.AspNetCore.Server.Kestrel.Https;

        """;

    public static async Task AnalyzerAsync(string program, string? facts, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<KestrelTlsAnalyzer, DefaultVerifier> { ReferenceAssemblies = None };
        Prepare(test.TestState, program, facts);
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    public static async Task CodeFixAsync<TFix>(string program, string facts, string fixedProgram)
        where TFix : Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<KestrelTlsAnalyzer, TFix, DefaultVerifier> { ReferenceAssemblies = None };
        Prepare(test.TestState, program, facts);
        test.FixedState.OutputKind = OutputKind.ConsoleApplication;
        test.FixedState.AdditionalFiles.Add((FactsPath, facts));
        test.FixedState.Sources.Add(("/0/Program.cs", Usings + fixedProgram));
        await test.RunAsync();
    }

    private static void Prepare(SolutionState state, string program, string? facts)
    {
        state.OutputKind = OutputKind.ConsoleApplication;
        state.Sources.Add(("/0/Program.cs", Usings + program));
        state.AdditionalReferences.AddRange(Platform);
        if (facts is not null) state.AdditionalFiles.Add((FactsPath, facts));
    }

    /// <summary>A facts file: header, platform, then the given lines (tab-separated, as Core writes them).</summary>
    public static string Facts(string platform, params string[] lines) =>
        "muststaple-codefacts\t1\nplatform\t" + platform + "\n" + string.Concat(lines.Select(l => l.Replace(' ', '\t') + "\n"));

    /// <summary>A must-staple leaf with an http OCSP URL: its chain verdict alone and with its own file.</summary>
    public static string Ms(string path, string kind, string alone, string own, string name = "shop.example") =>
        $"cert {path} {kind} must-staple stapleable {alone} {own} {name}";

    public static string Plain(string path, string kind) => $"cert {path} {kind} plain unstapleable incomplete incomplete plain.example";
}

using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace MustStaple.Analyzers.Tests;

/// <summary>The analyzer's and the code fixes' texts exist in English and Japanese alike, with the same placeholders.</summary>
[TestClass]
public sealed partial class ResourceParityTests
{
    private static readonly CultureInfo Japanese = CultureInfo.GetCultureInfo("ja");

    public static IEnumerable<object[]> Managers =>
    [
        ["analyzer", Resources.ResourceManager],
        ["code fixes", new ResourceManager("MustStaple.Analyzers.CodeFixResources", typeof(OfflineContextCodeFix).Assembly)],
    ];

    [TestMethod]
    [DynamicData(nameof(Managers))]
    public void EveryKey_ExistsInBothLanguages_WithTheSamePlaceholders(string assembly, ResourceManager manager)
    {
        // arrange
        var english = Entries(manager, CultureInfo.InvariantCulture);
        var japanese = Entries(manager, Japanese);

        // assert
        Assert.IsNotEmpty(english, assembly);
        CollectionAssert.AreEquivalent(english.Keys.ToList(), japanese.Keys.ToList(), $"{assembly}: keys differ between Resources.resx and Resources.ja.resx");
        foreach (var (key, text) in english)
        {
            Assert.IsFalse(string.IsNullOrWhiteSpace(japanese[key]), $"{assembly}: {key} is empty in ja");
            CollectionAssert.AreEquivalent(Placeholders(text), Placeholders(japanese[key]), $"{assembly}: {key} placeholders differ");
        }
    }

    [TestMethod]
    public void EveryPhraseTheAnalyzerComposes_IsAResource()
    {
        // arrange: the names the analyzer passes to Phrase and CertRef.Unresolved (a typo would print the key itself)
        var source = Path.Combine(RepoRoot(), "src", "MustStaple.Analyzers");
        var names = Directory.GetFiles(source, "*.cs").SelectMany(f => PhraseName().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)).Distinct().ToList();
        var english = Entries(Resources.ResourceManager, CultureInfo.InvariantCulture);

        // assert
        Assert.IsGreaterThan(10, names.Count, string.Join(", ", names));
        foreach (var name in names) Assert.IsTrue(english.ContainsKey(name), $"'{name}' is not in Resources.resx");
    }

    [TestMethod]
    public void EveryDescriptor_HasItsTextsInBothLanguages()
    {
        foreach (var d in Descriptors.All)
        {
            foreach (var text in new[] { d.Title, d.MessageFormat, d.Description })
            {
                var english = text.ToString(CultureInfo.InvariantCulture);
                var japanese = text.ToString(Japanese);
                Assert.IsFalse(string.IsNullOrWhiteSpace(english), d.Id);
                Assert.AreNotEqual(english, japanese, $"{d.Id}: '{english}' has no Japanese text");
                Assert.IsTrue(JapaneseScript().IsMatch(japanese), $"{d.Id}: '{japanese}'");
            }
        }
    }

    [TestMethod]
    public async Task Diagnostic_FormattedInJapanese_WordsItsComposedArgumentsInJapanese()
    {
        // arrange: a PFX served by UseHttps(path) on Linux (MST3001, with a cause and a fix composed by the analyzer)
        var facts = Verify.Facts("linux", Verify.Ms("certs/site.pfx", "pfx", "incomplete", "incomplete"));
        var diagnostic = await FirstDiagnosticAsync("""
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(443, l => l.UseHttps("certs/site.pfx", "pw")));
            """, facts);

        // act
        var japanese = diagnostic.GetMessage(Japanese);
        var english = diagnostic.GetMessage(CultureInfo.InvariantCulture);

        // assert: the fingerprint (ID, certificate, file) is the same; the words around it follow the culture
        Assert.AreEqual("MST3001", diagnostic.Id);
        Assert.StartsWith("Must-staple certificate 'shop.example' ('certs/site.pfx') served here will never be stapled on Linux: UseHttps(path) loads the PFX", english);
        Assert.Contains("'shop.example' ('certs/site.pfx')", japanese);
        Assert.Contains("Linux では OCSP ステープリングされません", japanese);
        Assert.Contains("UseHttps(path) は new X509Certificate2 で PFX を読み込み", japanese, "the cause is worded in Japanese too");
        Assert.Contains("同じ呼び出しのオプション オーバーロードで", japanese, "the fix is worded in Japanese too");
        Assert.DoesNotContain("loads the PFX", japanese);
    }

    private static async Task<Diagnostic> FirstDiagnosticAsync(string program, string facts)
    {
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create("app",
            [Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(Verify.Usings + program, path: "/0/Program.cs")],
            ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).Where(p => p.EndsWith(".dll", StringComparison.Ordinal))
                .Select(p => MetadataReference.CreateFromFile(p)),
            new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(OutputKind.ConsoleApplication));
        var options = new AnalyzerOptions([new Text(Verify.FactsPath, facts)]);
        var diagnostics = await compilation.WithAnalyzers([new KestrelTlsAnalyzer()], options).GetAnalyzerDiagnosticsAsync();
        Assert.HasCount(1, diagnostics, string.Join("\n", diagnostics));
        return diagnostics[0];
    }

    private static Dictionary<string, string> Entries(ResourceManager manager, CultureInfo culture)
    {
        // tryParents: false, so a key missing in ja is not filled in from English
        var set = manager.GetResourceSet(culture, createIfNotExists: true, tryParents: false);
        Assert.IsNotNull(set, $"no resources for '{culture.Name}' (is the satellite assembly built?)");
        return set.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);
    }

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "MustStaple.Build.sln"))) return d.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    private static List<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value).Distinct().Order()];

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"(?:new Phrase|Unresolved)\(""(\w+)""")]
    private static partial Regex PhraseName();

    [GeneratedRegex(@"[\u3040-\u30ff\u4e00-\u9fff]")]
    private static partial Regex JapaneseScript();

    private sealed class Text(string path, string content) : AdditionalText
    {
        public override string Path => path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(content);
    }
}

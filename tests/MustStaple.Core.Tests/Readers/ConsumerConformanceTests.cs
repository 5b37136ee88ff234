using System.Text;
using Microsoft.Extensions.Configuration;
using MustStaple.Core.Tests.Rules;
using MustStaple.Discovery;
using MustStaple.Kestrel;
using MustStaple.Testing;

namespace MustStaple.Core.Tests.Readers;

/// <summary>
/// Each reader accepts what its real consumer accepts and refuses what it refuses: appsettings against
/// Microsoft.Extensions.Configuration.Json itself, project files against XML as MSBuild reads them, text encodings
/// against StreamReader.
/// </summary>
[TestClass]
public sealed class ConsumerConformanceTests
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    public static IEnumerable<object[]> JsonCases() => new (string Name, byte[] Bytes)[]
    {
        ("plain", U("{\"Kestrel\":{\"Endpoints\":{\"A\":{\"Url\":\"https://*:1\"}}}}")),
        ("comments and trailing commas", U("{ // c\n\"a\": 1, /* x */ \"b\": [1,2,],\n}")),
        ("duplicate leaf, other case", U("{\"a\":1,\"A\":2}")),
        ("duplicate object merges", U("{\"a\":{\"x\":1},\"A\":{\"y\":2}}")),
        ("duplicate inside merged objects", U("{\"a\":{\"x\":1},\"A\":{\"X\":2}}")),
        ("empty object then value", U("{\"a\":{},\"a\":1}")),
        ("value then empty object", U("{\"a\":1,\"a\":{}}")),
        ("array index clash", U("{\"a\":[1],\"a:0\":2}")),
        ("trailing content", U("{\"a\":1} x")),
        ("second root", U("{\"a\":1}{\"b\":2}")),
        ("array root", U("[1]")),
        ("string root", U("\"x\"")),
        ("empty file", []),
        ("whitespace only", U("  \n ")),
        ("invalid UTF-8 in a value", [.. U("{\"a\":\""), 0xC3, 0x28, .. U("\"}")]),
        ("invalid UTF-8 in a key", [.. U("{\""), 0xFF, .. U("\":1}")]),
        ("lone surrogate escape", U("{\"a\":\"\\ud800\"}")),
        ("UTF-8 BOM", [.. Bom, .. U("{\"a\":1}")]),
        ("UTF-16 LE BOM", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("{\"a\":\"é\"}")]),
        ("UTF-16 BE BOM", [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes("{\"a\":1}")]),
        ("UTF-16 without BOM", Encoding.Unicode.GetBytes("{\"a\":1}")),
        ("depth 64", U(string.Concat(Enumerable.Repeat("{\"a\":", 63)) + "1" + new string('}', 64))),
        ("depth 65", U(string.Concat(Enumerable.Repeat("{\"a\":", 64)) + "1" + new string('}', 65))),
        ("NUL escape", U("{\"a\":\"x\\u0000y\"}")),
        ("numbers and literals", U("{\"a\":1.50e3,\"b\":true,\"c\":null,\"d\":-0}")),
        ("unterminated", U("{\"a\":")),
    }.Select(c => new object[] { c.Name, c.Bytes });

    [TestMethod]
    [DynamicData(nameof(JsonCases))]
    public void AppSettings_AcceptedAndRefusedAsTheConfigurationLibraryDoes(string name, byte[] bytes)
    {
        // arrange: what the library does (an exception here stops an ASP.NET Core app at start-up)
        Dictionary<string, string>? expected;
        try
        {
            expected = new ConfigurationBuilder().AddJsonStream(new MemoryStream(bytes)).Build().AsEnumerable()
                .Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value!, StringComparer.OrdinalIgnoreCase);
        }
#pragma warning disable CA1031 // any exception from the library means the app would not start
        catch (Exception)
#pragma warning restore CA1031
        {
            expected = null;
        }

        // act
        var (entries, error) = JsonConfigReader.Read("/repo/appsettings.json", bytes);

        // assert
        if (expected is null)
        {
            Assert.IsNotNull(error, $"{name}: the library refuses it, the reader accepted it");
            return;
        }
        Assert.IsNull(error, $"{name}: the library accepts it, the reader said: {error?.Message}");
        var actual = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var e in entries.Where(e => !e.IsSection))
        {
            if (e.Value is null) actual.Remove(e.Key);
            else actual[e.Key] = e.Value;
        }
        // keys are case-insensitive (the library keeps the first spelling of each segment)
        CollectionAssert.AreEquivalent(
            expected.Select(kv => $"{kv.Key.ToUpperInvariant()}={kv.Value}").ToList(),
            actual.Select(kv => $"{kv.Key.ToUpperInvariant()}={kv.Value}").ToList(), name);
    }

    [TestMethod]
    public void ProjectFileWithBom_BehavesExactlyLikeWithout()
    {
        // arrange: a must-staple PEM full chain on a win-x64 project: MST3004 (Windows does not staple) needs the RID;
        // without it the platform is unknown (MST3006)
        string[] Run(byte[] project)
        {
            using var dir = new TestFolder();
            dir.Write("App/App.csproj", project);
            dir.Write("App/site.pem", TestCertificate.PemChain(Kestrel.WebProject.Leaf, Kestrel.WebProject.Intermediate, Kestrel.WebProject.Root));
            dir.Write("App/appsettings.json", """{"Kestrel":{"Endpoints":{"H":{"Url":"https://*:443","Certificate":{"Path":"site.pem","KeyPath":"site.key"}}}}}""");
            return TestFolder.Lines(dir.Lint(), dir.Root).Where(l => !l.Contains("MST0003", StringComparison.Ordinal)).ToArray();
        }
        var text = "<Project Sdk=\"Microsoft.NET.Sdk.Web\">\r\n  <PropertyGroup>\r\n    <RuntimeIdentifier>win-x64</RuntimeIdentifier>\r\n  </PropertyGroup>\r\n</Project>\r\n";

        // act
        var plain = Run(U(text));
        var withBom = Run([.. Bom, .. U(text)]);
        var utf16 = Run([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text.Replace("<Project", "<?xml version=\"1.0\" encoding=\"utf-16\"?><Project"))]);

        // assert
        Assert.IsTrue(plain.Any(l => l.Contains("MST3004", StringComparison.Ordinal)), string.Join("\n", plain));
        CollectionAssert.AreEqual(plain, withBom);
        CollectionAssert.AreEqual(plain, utf16);
    }

    [TestMethod]
    public void ProjectFileWithInvalidUtf8_IsOneMst0001WithItsLine()
    {
        using var dir = new TestFolder();
        dir.Write("App/App.csproj", [.. U("<Project>\n<PropertyGroup>\n<A>"), 0xFF, 0xFE, .. U("</A>\n</PropertyGroup>\n</Project>\n")]);

        var d = Expect.Single(dir.Lint(), "MST0001");

        Assert.AreEqual(3, d.Location.Line);
    }

    [TestMethod]
    [DataRow(new byte[] { 0x41, 0x0A, 0x42, 0xC3, 0x0A }, 2)]
    [DataRow(new byte[] { 0xEF, 0xBB, 0xBF, 0x0A, 0x0A, 0xED, 0xA0, 0x80 }, 3)] // an encoded lone surrogate is not UTF-8
    public void StrictDecoding_NamesTheLineOfTheFirstInvalidByte(byte[] bytes, int line)
    {
        var (text, errorLine, error) = TextDecoder.Decode(bytes);

        Assert.IsNull(text);
        Assert.AreEqual(line, errorLine);
        StringAssert.Contains(error, $"line {line}");
    }

    [TestMethod]
    public void Decoding_HonoursEachByteOrderMarkAsStreamReaderDoes()
    {
        const string text = "a: é\n";
        foreach (var encoding in new Encoding[] { new UTF8Encoding(true), new UnicodeEncoding(false, true), new UnicodeEncoding(true, true), new UTF8Encoding(false) })
        {
            var bytes = encoding.GetPreamble().Concat(encoding.GetBytes(text)).ToArray();
            using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);

            Assert.AreEqual(reader.ReadToEnd(), TextDecoder.Decode(bytes).Text, encoding.WebName);
        }
    }

    [TestMethod]
    public void ComposeWithInvalidUtf8_IsOneMst0001_DockerfileIsReadAsDockerReadsIt()
    {
        using var dir = new TestFolder();
        dir.Write("App/App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\" />");
        dir.Write("App/compose.yaml", [.. U("services:\n  web:\n    image: x"), 0xC3, 0x28, .. U("\n")]);
        dir.Write("App/Dockerfile", [.. U("FROM mcr.microsoft.com/dotnet/aspnet:10.0\nLABEL x=\""), 0xFF, .. U("\"\n")]);

        var result = dir.Lint();

        var d = Expect.Single(result, "MST0001");
        Assert.AreEqual("compose.yaml", Path.GetFileName(d.Location.Path));
        Assert.AreEqual(3, d.Location.Line);
    }

    private static byte[] U(string s) => Encoding.UTF8.GetBytes(s);
}

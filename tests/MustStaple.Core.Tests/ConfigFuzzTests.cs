using MustStaple.Core.Tests.Kestrel;
using MustStaple.Testing;

namespace MustStaple.Core.Tests;

/// <summary>Seeded mutations of appsettings.json, Dockerfile and compose files through the whole engine: never a throw.</summary>
[TestClass]
public sealed class ConfigFuzzTests
{
    [TestMethod]
    public void MutatedConfigurationFiles_NeverThrow_AndAlwaysLocateFindings()
    {
        // arrange
        var random = new Random(FuzzSettings.Seed);
        var total = 300 * FuzzSettings.Scale;
        var json = """
            { // comment
              "Kestrel": { "EndpointDefaults": { "Protocols": "Http1AndHttp2AndHttp3", "Certificate": { "Path": "x.pem" } },
                "Endpoints": { "Https": { "Url": "https://*:443", "Certificate": { "Path": "c.pem", "KeyPath": "k.key", "Subject": "s" },
                  "Sni": { "*.example": { "Certificate": { "Path": "c.pfx", "Password": "pw" } }, "a": {} } },
                  "Web": { "Url": "http://*:80", "Certificate": { "Path": "c.pem" } } },
                "Certificates": { "Default": { "Path": "/abs/c.pfx" } } },
            }
            """;
        var docker = "FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS base\nENV ASPNETCORE_ENVIRONMENT=Staging \\\n  Kestrel__Certificates__Default__Path=c.pem\nCOPY root.crt /usr/local/share/ca-certificates/\nFROM base\n";
        var compose = "services:\n  web:\n    environment:\n      - ASPNETCORE_URLS=https://+:443\n      Kestrel__Endpoints__Https__Url: https://*:1\n";
        using var p = new WebProject().Pem("c.pem", WebProject.Leaf).File("k.key", "");
        var cases = 0;

        // act / assert
        for (var i = 0; i < total; i++)
        {
            p.Settings(Mutate(json, random));
            p.File("Dockerfile", Mutate(docker, random));
            p.File("compose.yaml", Mutate(compose, random));
            LintResult result;
            try
            {
                result = p.Lint();
            }
            catch (Exception ex)
            {
                Assert.Fail($"{FuzzSettings.Replay(i)} threw {ex}");
                throw;
            }
            foreach (var d in result.Diagnostics)
                Assert.IsTrue(d.Location.Line >= 1 && d.Location.Column >= 1 && d.Location.EndColumn >= d.Location.Column, $"{FuzzSettings.Replay(i)}: bad region for {d.Id}");
            cases++;
        }
        Assert.AreEqual(total, cases);
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public void ByteMutationsOfEveryTextKind_NeverThrow()
    {
        // arrange: byte-level damage the string fuzzer cannot make — invalid UTF-8, encoded lone surrogates, byte-order
        // marks (UTF-8, UTF-16) in odd places, \ud800 escapes, NULs — in every text input the lint reads
        var random = new Random(FuzzSettings.Seed + 1);
        var total = 150 * FuzzSettings.Scale;
        var inputs = new (string Name, string Text)[]
        {
            ("appsettings.json", "{\"Kestrel\":{\"Endpoints\":{\"Https\":{\"Url\":\"https://*:443\",\"Certificate\":{\"Path\":\"c.pem\"}}}}}"),
            ("appsettings.Production.json", "{\"Kestrel\":{\"Certificates\":{\"Default\":{\"Path\":\"c.pem\",\"KeyPath\":\"k.key\"}}}}"),
            ("Dockerfile", "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nENV Kestrel__Certificates__Default__Path=c.pem\n"),
            ("compose.yaml", "services:\n  web:\n    image: mcr.microsoft.com/dotnet/aspnet:10.0\n    environment:\n      - ASPNETCORE_URLS=https://+:443\n"),
            ("App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><PropertyGroup><RuntimeIdentifier>linux-x64</RuntimeIdentifier></PropertyGroup></Project>"),
            (".editorconfig", "root = true\n[*.{pem,json}]\ndotnet_diagnostic.MST3001.severity = warning\n"),
            (".globalconfig", "is_global = true\ndotnet_diagnostic.MST1006.severity = none\n"),
            ("openssl.cnf", "[req]\nreq_extensions = v3\n[v3]\ntlsfeature = status_request\n"),
        };
        using var p = new WebProject().Pem("c.pem", WebProject.Leaf).File("k.key", "");

        // act / assert
        for (var i = 0; i < total; i++)
        {
            foreach (var (name, text) in inputs) p.Folder.Write(name, MutateBytes(System.Text.Encoding.UTF8.GetBytes(text), random));
            LintResult result;
            try
            {
                result = p.Lint();
            }
            catch (Exception ex)
            {
                Assert.Fail($"{FuzzSettings.Replay(i)} threw {ex.GetType().Name}: {ex.Message}");
                throw;
            }
            // at most one MST0001 per file: the first problem stops a text reader
            var perFile = result.Diagnostics.Where(d => d.Id == "MST0001" && !d.Location.Path.EndsWith(".pem", StringComparison.Ordinal))
                .GroupBy(d => d.Location.Path).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.IsEmpty(perFile, $"{FuzzSettings.Replay(i)}: several MST0001 on {string.Join(", ", perFile)}");
        }
    }

    private static readonly byte[][] BadBytes =
    [
        [0xFF], [0xC3], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xEF, 0xBB, 0xBF], [0xFF, 0xFE], [0xFE, 0xFF], [0x00],
        "\\ud800"u8.ToArray(), "\\udc00\\ud800"u8.ToArray(), [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x80, 0xAE],
    ];

    private static byte[] MutateBytes(byte[] bytes, Random random)
    {
        var list = bytes.ToList();
        for (var k = 0; k < 1 + random.Next(3); k++)
        {
            var at = random.Next(list.Count + 1);
            if (random.Next(5) == 0) at = 0; // byte-order marks and junk at the very start
            list.InsertRange(at, BadBytes[random.Next(BadBytes.Length)]);
        }
        return list.ToArray();
    }

    private const string Noise = "{}[]\":,\\\n\r é$=#";

    private static string Mutate(string text, Random random)
    {
        var chars = text.ToCharArray().ToList();
        for (var k = 0; k < 1 + random.Next(6); k++)
        {
            var at = random.Next(chars.Count);
            switch (random.Next(4))
            {
                case 0: chars.RemoveAt(at); break;
                case 1: chars.Insert(at, Noise[random.Next(Noise.Length)]); break;
                case 2: chars[at] = (char)random.Next(1, 0x2FF); break;
                default: chars.RemoveRange(at, Math.Min(random.Next(20), chars.Count - at)); break;
            }
        }
        return new string(chars.ToArray());
    }
}

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

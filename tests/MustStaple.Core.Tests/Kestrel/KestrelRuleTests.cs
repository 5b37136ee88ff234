using MustStaple.Core.Tests.Rules;
using MustStaple.Diagnostics;
using MustStaple.Testing;

namespace MustStaple.Core.Tests.Kestrel;

/// <summary>A web project folder: certificates from one private PKI, an appsettings.json and a platform signal.</summary>
internal sealed class WebProject : IDisposable
{
    public static readonly TestCertificate Root = new CertificateBuilder("Test Root").AsCa().Build();
    public static readonly TestCertificate Intermediate = new CertificateBuilder("Test Issuing CA").AsCa().IssuedBy(Root).Build();
    public static readonly TestCertificate Leaf = new CertificateBuilder("localhost").MustStaple().Ocsp("http://127.0.0.1:9/ocsp").IssuedBy(Intermediate).Build();
    public static readonly TestCertificate LeafWithCaIssuers = new CertificateBuilder("localhost").MustStaple().Ocsp("http://127.0.0.1:9/ocsp")
        .CaIssuers("http://127.0.0.1:9/int.cer").IssuedBy(Intermediate).Build();
    public static readonly TestCertificate Plain = new CertificateBuilder("plain").Ocsp("http://127.0.0.1:9/ocsp").IssuedBy(Intermediate).Build();

    public TestFolder Folder { get; } = new();

    public WebProject(string? rid = "linux-x64")
    {
        Folder.Write("App.csproj", rid is null
            ? "<Project Sdk=\"Microsoft.NET.Sdk.Web\">\n  <PropertyGroup>\n    <TargetFramework>net10.0</TargetFramework>\n  </PropertyGroup>\n</Project>\n"
            : $"<Project Sdk=\"Microsoft.NET.Sdk.Web\">\n  <PropertyGroup>\n    <TargetFramework>net10.0</TargetFramework>\n    <RuntimeIdentifier>{rid}</RuntimeIdentifier>\n  </PropertyGroup>\n</Project>\n");
    }

    public string Path(string relative) => System.IO.Path.Combine(Folder.Root, relative);

    public WebProject Pem(string name, params TestCertificate[] certs) { Folder.Write(name, TestCertificate.PemChain(certs)); return this; }

    public WebProject Pfx(string name, string password, TestCertificate leaf, params TestCertificate[] chain) { Folder.Write(name, leaf.ToPfx(password, chain)); return this; }

    public WebProject Settings(string json, string name = "appsettings.json") { Folder.Write(name, json); return this; }

    public WebProject File(string name, string text) { Folder.Write(name, text); return this; }

    public LintResult Lint(Func<LintRequest, LintRequest>? configure = null) => Folder.Lint(configure);

    /// <summary>The (line, column) of the first occurrence of <paramref name="needle"/> in a file.</summary>
    public (int Line, int Column) Find(string file, string needle)
    {
        var lines = System.IO.File.ReadAllLines(Path(file));
        for (var i = 0; i < lines.Length; i++)
        {
            var c = lines[i].IndexOf(needle, StringComparison.Ordinal);
            if (c >= 0) return (i + 1, c + 1);
        }
        throw new AssertFailedException($"'{needle}' not in {file}");
    }

    public void Dispose() => Folder.Dispose();

    public static string Endpoint(string certificateJson, string extra = "") => $$"""
        {
          // comments and trailing commas are allowed, as in ASP.NET Core
          "Kestrel": {
            "Endpoints": {
              "Https": {
                "Url": "https://127.0.0.1:5001",{{extra}}
                "Certificate": {{certificateJson}},
              },
            },
          },
        }
        """;
}

[TestClass]
public sealed class ChainIncompleteTests
{
    [TestMethod]
    public void A04_PemLeafIntermediateRoot_IsClean()
    {
        using var p = new WebProject().Pem("chain.pem", WebProject.Leaf, WebProject.Intermediate, WebProject.Root).File("chain.key", "")
            .Settings(WebProject.Endpoint("""{ "Path": "chain.pem", "KeyPath": "chain.key" }"""));

        var result = p.Lint();

        Assert.IsEmpty(result.Diagnostics, string.Join("\n", TestFolder.Lines(result, p.Folder.Root)));
    }

    [TestMethod]
    public void A01_LeafOnlyPem_NoCaIssuers_ReportsMst3001AtPathValue()
    {
        using var p = new WebProject().Pem("leaf.pem", WebProject.Leaf).File("leaf.key", "")
            .Settings(WebProject.Endpoint("""{ "Path": "leaf.pem", "KeyPath": "leaf.key" }"""));

        var d = Expect.Single(p.Lint(), "MST3001");

        var (line, col) = p.Find("appsettings.json", "\"leaf.pem\"");
        Expect.At(d, p.Path("appsettings.json"), line, col, line, col + "\"leaf.pem\"".Length);
        StringAssert.Contains(d.Message, "the PEM file holds only the leaf");
        Assert.AreEqual(p.Path("leaf.pem"), d.RelatedLocations.Single().Path);
    }

    [TestMethod]
    public void A03_LeafAndIntermediate_PrivateRootMissing_ReportsMst3001()
    {
        using var p = new WebProject().Pem("chain.pem", WebProject.Leaf, WebProject.Intermediate).File("k.key", "")
            .Settings(WebProject.Endpoint("""{ "Path": "chain.pem", "KeyPath": "k.key" }"""));

        StringAssert.Contains(Expect.Single(p.Lint(), "MST3001").Message, "ends at 'Test Issuing CA', whose issuer 'CN=Test Root' is neither in the file");
    }

    [TestMethod]
    public void A06_PfxWithFullChain_ReportsMst3001NamingThePfx()
    {
        using var p = new WebProject().Pfx("site.pfx", "pfx-pass", WebProject.Leaf, WebProject.Intermediate, WebProject.Root)
            .Settings(WebProject.Endpoint("""{ "Path": "site.pfx", "Password": "pfx-pass" }"""));

        var result = p.Lint();

        var d = Expect.Single(result, "MST3001");
        StringAssert.Contains(d.Message, "Kestrel ignores the certificates inside a PFX");
        StringAssert.Contains(d.Message, "Use a PEM Path holding leaf + intermediate(s)");
        Assert.IsFalse(result.Diagnostics.Any(x => x.Message.Contains("pfx-pass")), "password leaked");
    }

    [TestMethod]
    public void D01_DefaultCertificatePfx_ReportsMst3001()
    {
        using var p = new WebProject().Pfx("default.pfx", "", WebProject.Leaf, WebProject.Intermediate, WebProject.Root)
            .Settings("""{ "Kestrel": { "Endpoints": { "Https": { "Url": "https://*:443" } }, "Certificates": { "Default": { "Path": "default.pfx" } } } }""");

        StringAssert.Contains(Expect.Single(p.Lint(), "MST3001").Message, "Certificates:Default (used by endpoint 'Https')");
    }

    [TestMethod]
    public void D02_DefaultCertificateLeafOnlyPem_ReportsMst3001()
    {
        using var p = new WebProject().Pem("leaf.pem", WebProject.Leaf).File("leaf.key", "")
            .Settings("""{ "Kestrel": { "Certificates": { "Default": { "Path": "leaf.pem", "KeyPath": "leaf.key" } } } }""");

        Expect.Single(p.Lint(), "MST3001");
    }

    [TestMethod]
    public void A10_DefaultCertificatePemChain_IsClean()
    {
        using var p = new WebProject().Pem("chain.pem", WebProject.Leaf, WebProject.Intermediate, WebProject.Root).File("chain.key", "")
            .Settings("""{ "Kestrel": { "Endpoints": { "Https": { "Url": "https://*:443" } }, "Certificates": { "Default": { "Path": "chain.pem", "KeyPath": "chain.key" } } } }""");

        Assert.IsEmpty(p.Lint().Diagnostics);
    }

    [TestMethod]
    public void A12_SniEntryWithoutCertificate_ReportsMst3001AtTheSniEntry()
    {
        using var p = new WebProject().Pem("chain.pem", WebProject.Leaf, WebProject.Intermediate, WebProject.Root).File("chain.key", "")
            .Settings(WebProject.Endpoint("""{ "Path": "chain.pem", "KeyPath": "chain.key" }""", "\n        \"Sni\": { \"localhost\": { \"Protocols\": \"Http1\" } },"));

        var d = Expect.Single(p.Lint(), "MST3001");

        var (line, col) = p.Find("appsettings.json", "\"localhost\"");
        Expect.At(d, p.Path("appsettings.json"), line, col, line, col + "\"localhost\"".Length);
        StringAssert.Contains(d.Message, "Sni entry 'localhost' has no Certificate of its own");
    }

    [TestMethod]
    public void A11_SniEntriesWithOwnCertificates_CheckEachEntry()
    {
        var noOcsp = new CertificateBuilder("nocsp").MustStaple().IssuedBy(WebProject.Intermediate).Build();
        using var p = new WebProject()
            .Pem("good.pem", WebProject.Leaf, WebProject.Intermediate, WebProject.Root).Pem("bad.pem", noOcsp, WebProject.Intermediate, WebProject.Root).File("k.key", "")
            .Settings("""{ "Kestrel": { "Endpoints": { "Https": { "Url": "https://*:443", "Sni": { "localhost": { "Certificate": { "Path": "good.pem", "KeyPath": "k.key" } }, "*": { "Certificate": { "Path": "bad.pem", "KeyPath": "k.key" } } } } } } }""");

        var result = p.Lint();

        Assert.AreEqual(p.Path("bad.pem"), Expect.Single(result, "MST1001").Location.Path);
        Expect.None(result, "MST3001");
    }

    [TestMethod]
    public void DockerfileCopiesPrivateRootIntoCaStore_CompletesTheChain()
    {
        using var p = new WebProject(rid: null).Pem("chain.pem", WebProject.Leaf, WebProject.Intermediate).Pem("root.crt", WebProject.Root).File("k.key", "")
            .File("Dockerfile", "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nCOPY root.crt /usr/local/share/ca-certificates/root.crt\nRUN update-ca-certificates\n")
            .Settings(WebProject.Endpoint("""{ "Path": "chain.pem", "KeyPath": "k.key" }"""));

        Assert.IsEmpty(p.Lint().Diagnostics);
    }
}

[TestClass]
public sealed class ChainNeedsDownloadTests
{
    [TestMethod]
    public void A08_LeafOnlyPemWithCaIssuers_ReportsMst3002()
    {
        using var p = new WebProject().Pem("leaf.pem", WebProject.LeafWithCaIssuers).File("leaf.key", "")
            .Settings(WebProject.Endpoint("""{ "Path": "leaf.pem", "KeyPath": "leaf.key" }"""));

        var result = p.Lint();

        var d = Expect.Single(result, "MST3002");
        Assert.AreEqual(Severity.Warning, d.Severity);
        StringAssert.Contains(d.Message, "http://127.0.0.1:9/int.cer");
        Expect.None(result, "MST3001");
    }

    [TestMethod]
    public void A07_PfxWithCaIssuers_ReportsMst3002()
    {
        using var p = new WebProject().Pfx("site.pfx", "", WebProject.LeafWithCaIssuers, WebProject.Intermediate)
            .Settings(WebProject.Endpoint("""{ "Path": "site.pfx" }"""));

        StringAssert.Contains(Expect.Single(p.Lint(), "MST3002").Message, "PFX");
    }

    [TestMethod]
    public void FullPemChainWithCaIssuers_IsSilent()
    {
        using var p = new WebProject().Pem("c.pem", WebProject.LeafWithCaIssuers, WebProject.Intermediate, WebProject.Root).File("k.key", "")
            .Settings(WebProject.Endpoint("""{ "Path": "c.pem", "KeyPath": "k.key" }"""));

        Expect.None(p.Lint(), "MST3002");
    }
}

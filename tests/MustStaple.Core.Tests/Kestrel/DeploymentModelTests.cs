using MustStaple.Core.Tests.Rules;
using MustStaple.Diagnostics;
using MustStaple.Testing;

namespace MustStaple.Core.Tests.Kestrel;

/// <summary>docs/evidence/kestrel.md (the §2.6 items), item by item, as the lint models it (the real-Kestrel twins are in the e2e tests).</summary>
[TestClass]
public sealed class DeploymentModelTests
{
    private const string Aspnet = "FROM mcr.microsoft.com/dotnet/aspnet:10.0\n";
    private const string DefaultLeaf = """{ "Kestrel": { "Certificates": { "Default": { "Path": "leaf.pem", "KeyPath": "k.key" } } } }""";
    private const string DefaultChain = """{ "Kestrel": { "Certificates": { "Default": { "Path": "chain.pem", "KeyPath": "k.key" } } } }""";

    private static WebProject Project() =>
        new WebProject(rid: null).Pem("leaf.pem", WebProject.Leaf).Pem("chain.pem", WebProject.Leaf, WebProject.Intermediate, WebProject.Root).File("k.key", "");

    [TestMethod]
    public void Item1_DotnetEnvironmentWinsOverAspnetcoreEnvironment()
    {
        using var p = Project().Settings(DefaultChain).Settings(DefaultLeaf, "appsettings.Development.json").Settings(DefaultChain, "appsettings.Staging.json")
            .File("Dockerfile", Aspnet + "ENV DOTNET_ENVIRONMENT=Development\nENV ASPNETCORE_ENVIRONMENT=Staging\n");

        var d = Expect.Single(p.Lint(), "MST3001");

        Assert.AreEqual(p.Path("appsettings.Development.json"), d.Location.Path);
    }

    [TestMethod]
    public void Item2_LowerCaseEnvironmentFile_IsNotLoadedOnLinux()
    {
        using var p = Project().Settings(DefaultChain).Settings(DefaultLeaf, "appsettings.staging.json")
            .File("Dockerfile", Aspnet + "ENV ASPNETCORE_ENVIRONMENT=Staging\n");

        Assert.IsEmpty(p.Lint().Diagnostics);

        System.IO.File.Move(p.Path("appsettings.staging.json"), p.Path("appsettings.Staging.json"));
        Expect.Single(p.Lint(), "MST3001");
    }

    [TestMethod]
    public void Item3_PrefixedVariableSitsBelowJson_UnprefixedAboveEnvironmentFile()
    {
        using var below = Project().Settings(DefaultChain)
            .File("Dockerfile", Aspnet + "ENV ASPNETCORE_Kestrel__Certificates__Default__Path=leaf.pem\n");
        using var above = Project().Settings(DefaultChain).Settings(DefaultChain, "appsettings.Production.json")
            .File("Dockerfile", Aspnet + "ENV Kestrel__Certificates__Default__Path=leaf.pem\n");

        Assert.IsEmpty(below.Lint().Diagnostics);
        var d = Expect.Single(above.Lint(), "MST3001");
        Expect.At(d, above.Path("Dockerfile"), 2, 42, 2, 50);
    }

    [TestMethod]
    [DataRow("ENV ASPNETCORE_URLS=http://+:8080\n", false)]
    [DataRow("ENV ASPNETCORE_HTTP_PORTS=8080\n", false)]
    [DataRow("ENV ASPNETCORE_URLS=http://+:8080;https://+:8443\n", true)]
    [DataRow("ENV ASPNETCORE_HTTPS_PORTS=8443\n", true)]
    [DataRow("ENV ASPNETCORE_URLS=http://+:80 ASPNETCORE_HTTPS_PORTS=8443\n", false)]
    [DataRow("", true)]
    public void Item4_OnlyHttpsAddressesServeTheDefaultCertificate(string env, bool served)
    {
        using var p = Project().Settings(DefaultLeaf).File("Dockerfile", Aspnet + env);

        var result = p.Lint();

        Assert.AreEqual(served ? 1 : 0, result.Diagnostics.Count(d => d.Id == "MST3001"), string.Join("\n", TestFolder.Lines(result, p.Folder.Root)));
    }

    [TestMethod]
    public void Item4_TopLevelUrlsKey_ServesTheDefaultCertificate_EndpointsIgnoreUrls()
    {
        using var urls = Project().Settings("""{ "urls": "https://*:8443", "Kestrel": { "Certificates": { "Default": { "Path": "leaf.pem", "KeyPath": "k.key" } } } }""")
            .File("Dockerfile", Aspnet);
        using var endpoints = Project().Settings("""{ "Kestrel": { "Endpoints": { "Http": { "Url": "http://*:8080" } }, "Certificates": { "Default": { "Path": "leaf.pem", "KeyPath": "k.key" } } } }""")
            .File("Dockerfile", Aspnet + "ENV ASPNETCORE_URLS=https://+:8443\n");

        Expect.Single(urls.Lint(), "MST3001");
        Expect.None(endpoints.Lint(), "MST3001");
    }

    [TestMethod]
    public void Item5_EmptyPath_FallsBackToTheDefaultCertificate()
    {
        using var p = Project().File("Dockerfile", Aspnet).Settings("""
            { "Kestrel": {
                "Endpoints": { "Https": { "Url": "https://*:8443", "Certificate": { "Path": "" } } },
                "Certificates": { "Default": { "Path": "leaf.pem", "KeyPath": "k.key" } } } }
            """);

        var d = Expect.Single(p.Lint(), "MST3001");

        StringAssert.Contains(d.Message, "Certificates:Default (used by endpoint 'Https')");
        Expect.None(p.Lint(), "MST0003");
    }

    [TestMethod]
    public void Item6_SniWithoutCertificate_DropsTheDefaultCertificatesChain()
    {
        using var p = Project().File("Dockerfile", Aspnet).Settings("""
            { "Kestrel": {
                "Endpoints": { "Https": { "Url": "https://*:8443", "Sni": { "localhost": { "Protocols": "Http1" } } } },
                "Certificates": { "Default": { "Path": "chain.pem", "KeyPath": "k.key" } } } }
            """);

        var d = Expect.Single(p.Lint(), "MST3001");

        StringAssert.Contains(d.Message, "Sni entry 'localhost'");
    }

    [TestMethod]
    public void Item6_SniWithItsOwnPemChain_IsCleanEvenWhenTheEndpointHasAPfx()
    {
        using var p = Project().Pfx("site.pfx", "pw", WebProject.Leaf, WebProject.Intermediate).File("Dockerfile", Aspnet).Settings("""
            { "Kestrel": { "Endpoints": { "Https": { "Url": "https://*:8443",
                "Certificate": { "Path": "site.pfx", "Password": "pw" },
                "Sni": { "localhost": { "Certificate": { "Path": "chain.pem", "KeyPath": "k.key" } } } } } } }
            """);

        var result = p.Lint();

        Assert.IsEmpty(result.Diagnostics, string.Join("\n", TestFolder.Lines(result, p.Folder.Root)));
    }

    [TestMethod]
    public void Item7_ChainOrderAndUnrelatedCertificates_DoNotMatter()
    {
        var unrelated = new CertificateBuilder("Unrelated CA").AsCa().Build();
        using var p = Project().Pem("mixed.pem", WebProject.Leaf, unrelated, WebProject.Root, WebProject.Intermediate).File("Dockerfile", Aspnet)
            .Settings("""{ "Kestrel": { "Certificates": { "Default": { "Path": "mixed.pem", "KeyPath": "k.key" } } } }""");

        Assert.IsEmpty(p.Lint().Diagnostics);
    }

    [TestMethod]
    public void Item7_IssuerNameWithAnotherKey_IsNotUsed()
    {
        var impostor = new CertificateBuilder("Test Issuing CA").AsCa().IssuedBy(WebProject.Root).Build(); // same name, new key
        using var p = Project().Pem("bad.pem", WebProject.Leaf, impostor, WebProject.Root).File("Dockerfile", Aspnet)
            .Settings("""{ "Kestrel": { "Certificates": { "Default": { "Path": "bad.pem", "KeyPath": "k.key" } } } }""");

        Expect.Single(p.Lint(), "MST3001");
    }

    [TestMethod]
    public void Item7_LeafIssuedByTheRoot_TwoCertificateChain_IsClean()
    {
        var leaf = new CertificateBuilder("localhost").MustStaple().Ocsp("http://127.0.0.1:9/ocsp").IssuedBy(WebProject.Root).Build();
        using var p = Project().Pem("two.pem", leaf, WebProject.Root).File("Dockerfile", Aspnet)
            .Settings("""{ "Kestrel": { "Certificates": { "Default": { "Path": "two.pem", "KeyPath": "k.key" } } } }""");

        Assert.IsEmpty(p.Lint().Diagnostics);
    }

    [TestMethod]
    public void Item7_HttpsCaIssuers_IsNeverFetched_HttpOnTheIntermediateIs()
    {
        var httpsLeaf = new CertificateBuilder("localhost").MustStaple().Ocsp("http://127.0.0.1:9/ocsp").CaIssuers("https://127.0.0.1:9/int.cer").IssuedBy(WebProject.Intermediate).Build();
        var intermediate = new CertificateBuilder("Test Issuing CA 2").AsCa().CaIssuers("http://127.0.0.1:9/root.cer").IssuedBy(WebProject.Root).Build();
        var leaf2 = new CertificateBuilder("localhost").MustStaple().Ocsp("http://127.0.0.1:9/ocsp").IssuedBy(intermediate).Build();
        using var https = Project().Pem("h.pem", httpsLeaf).File("Dockerfile", Aspnet)
            .Settings("""{ "Kestrel": { "Certificates": { "Default": { "Path": "h.pem", "KeyPath": "k.key" } } } }""");
        using var viaIntermediate = Project().Pem("i.pem", leaf2, intermediate).File("Dockerfile", Aspnet)
            .Settings("""{ "Kestrel": { "Certificates": { "Default": { "Path": "i.pem", "KeyPath": "k.key" } } } }""");

        Expect.Single(https.Lint(), "MST3001");
        Expect.Single(viaIntermediate.Lint(), "MST3002");
    }

    [TestMethod]
    public void Item8_FinalStageInheritsEnvOnlyThroughFrom()
    {
        using var copiedFrom = Project().Settings("{}").File("Dockerfile",
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nENV Kestrel__Certificates__Default__Path=leaf.pem Kestrel__Certificates__Default__KeyPath=k.key\n"
            + "FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final\nCOPY --from=build /app /app\n");
        using var builtFrom = Project().Settings("{}").File("Dockerfile",
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS base\nENV Kestrel__Certificates__Default__Path=leaf.pem Kestrel__Certificates__Default__KeyPath=k.key\n"
            + "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nRUN dotnet publish\nFROM base AS final\nCOPY --from=build /app /app\n");

        Assert.IsEmpty(copiedFrom.Lint().Diagnostics);
        var d = Expect.Single(builtFrom.Lint(), "MST3001");
        Assert.AreEqual(2, d.Location.Line);
    }

    [TestMethod]
    public void UnknownPlatform_FreshWebAppWithMustStaplePfx_ReportsMst3001OnAnyPlatform()
    {
        using var p = new WebProject(rid: null).Pfx("site.pfx", "pw", WebProject.Leaf, WebProject.Intermediate, WebProject.Root)
            .Settings("""{ "Kestrel": { "Certificates": { "Default": { "Path": "site.pfx", "Password": "pw" } } } }""");

        var result = p.Lint();

        var d = Expect.Single(result, "MST3001");
        StringAssert.Contains(d.Message, "on any platform");
        Assert.AreEqual(Severity.Error, d.Severity);
        Expect.None(result, "MST3006");
        var (line, col) = p.Find("appsettings.json", "\"site.pfx\"");
        Expect.At(d, p.Path("appsettings.json"), line, col, line, col + 10);
        CollectionAssert.Contains(d.RelatedLocations.Select(r => r.Path).ToList(), p.Path("site.pfx"));
    }
}

[TestClass]
public sealed class KestrelWillNotStartTests
{
    [TestMethod]
    public void InheritedKeyPath_WithPfxOverlay_ReportsMst2004AtTheKeyPath()
    {
        using var p = new WebProject().Pem("site.pem", WebProject.Leaf, WebProject.Intermediate, WebProject.Root).File("site.key", WebProject.Leaf.KeyPem)
            .Pfx("site.pfx", "pw", WebProject.Leaf)
            .Settings("""{ "Kestrel": { "Certificates": { "Default": { "Path": "site.pem", "KeyPath": "site.key" } } } }""")
            .Settings("""{ "Kestrel": { "Certificates": { "Default": { "Path": "site.pfx", "Password": "pw" } } } }""", "appsettings.Production.json");

        var d = Expect.Single(p.Lint(), "MST2004");

        var (line, col) = p.Find("appsettings.json", "\"site.key\"");
        Expect.At(d, p.Path("appsettings.json"), line, col, line, col + 10);
        StringAssert.Contains(d.Message, "KeyPath 'site.key' (set in appsettings.json line 1)");
        StringAssert.Contains(d.Message, "The provided key file is missing or invalid");
    }

    [TestMethod]
    public void InheritedPassword_WithUnencryptedPemKey_ReportsMst2004AtThePassword()
    {
        using var p = new WebProject().Pem("site.pem", WebProject.Leaf, WebProject.Intermediate, WebProject.Root).File("site.key", WebProject.Leaf.KeyPem)
            .Pfx("site.pfx", "pw", WebProject.Leaf)
            .Settings("{ \"Kestrel\": { \"Certificates\": { \"Default\": {\n  \"Path\": \"site.pfx\",\n  \"Password\": \"pw\" } } } }")
            .Settings("""{ "Kestrel": { "Certificates": { "Default": { "Path": "site.pem", "KeyPath": "site.key" } } } }""", "appsettings.Production.json");

        var d = Expect.Single(p.Lint(), "MST2004");

        Expect.At(d, p.Path("appsettings.json"), 3, 3, 3, 13);
        StringAssert.Contains(d.Message, "No supported key formats were found");
    }

    [TestMethod]
    public void PemStartingWithTheIntermediate_ReportsMst2004AtThePath()
    {
        using var p = new WebProject().Pem("chain.pem", WebProject.Intermediate, WebProject.Leaf, WebProject.Root).File("site.key", WebProject.Leaf.KeyPem)
            .Settings(WebProject.Endpoint("""{ "Path": "chain.pem", "KeyPath": "site.key" }"""));

        var d = Expect.Single(p.Lint(), "MST2004");

        var (line, col) = p.Find("appsettings.json", "\"chain.pem\"");
        Expect.At(d, p.Path("appsettings.json"), line, col, line, col + 11);
        StringAssert.Contains(d.Message, "Error getting private key");
    }

    // docs/evidence/kestrel.md#round3-key: an encrypted PKCS#8 KeyPath without a Password: "An encrypted key was found, but no password was provided".
    [TestMethod]
    public void EncryptedPemKeyWithoutPassword_ReportsMst2004AtTheKeyPath()
    {
        using var p = new WebProject().Pem("site.pem", WebProject.Leaf, WebProject.Intermediate, WebProject.Root)
            .File("site.key", EncryptedKey)
            .Settings(WebProject.Endpoint("""{ "Path": "site.pem", "KeyPath": "site.key" }"""));

        var d = Expect.Single(p.Lint(), "MST2004");

        var (line, col) = p.Find("appsettings.json", "\"site.key\"");
        Expect.At(d, p.Path("appsettings.json"), line, col, line, col + 10);
        Assert.AreEqual(Severity.Error, d.Severity);
        StringAssert.Contains(d.Message, "the KeyPath 'site.key' of endpoint 'Https' (set in appsettings.json line 7) is an encrypted PEM key, and no Password applies to it");
        StringAssert.Contains(d.Message, "An encrypted key was found, but no password was provided");
    }

    [TestMethod]
    public void EncryptedPemKey_PasswordFromTheEnvironmentOverlay_IsSilent()
    {
        using var p = new WebProject().Pem("site.pem", WebProject.Leaf, WebProject.Intermediate, WebProject.Root)
            .File("site.key", EncryptedKey)
            .Settings(WebProject.Endpoint("""{ "Path": "site.pem", "KeyPath": "site.key" }"""))
            .Settings("""{ "Kestrel": { "Endpoints": { "Https": { "Certificate": { "Password": "pw" } } } } }""", "appsettings.Production.json");

        Expect.None(p.Lint(), "MST2004");
    }

    [TestMethod]
    public void UnencryptedPemKeyWithoutPassword_IsSilent()
    {
        using var p = new WebProject().Pem("site.pem", WebProject.Leaf, WebProject.Intermediate, WebProject.Root).File("site.key", WebProject.Leaf.KeyPem)
            .Settings(WebProject.Endpoint("""{ "Path": "site.pem", "KeyPath": "site.key" }"""));

        Expect.None(p.Lint(), "MST2004");
    }

    // §2.7.6: "Unix LocalMachine X509Store is limited to the Root and CertificateAuthority stores" — certain, not a note.
    [TestMethod]
    public void LocalMachineMyStoreOnLinux_ReportsMst2004AtTheLocation_InsteadOfTheNote()
    {
        using var p = new WebProject()
            .Settings(WebProject.Endpoint("""{ "Subject": "shop.example", "Store": "My", "Location": "LocalMachine" }"""));

        var result = p.Lint();

        var d = Expect.Single(result, "MST2004");
        var (line, col) = p.Find("appsettings.json", "\"LocalMachine\"");
        Expect.At(d, p.Path("appsettings.json"), line, col, line, col + 14);
        StringAssert.Contains(d.Message, "the certificate of endpoint 'Https' is read from the LocalMachine\\My store (set in appsettings.json line 7), which .NET cannot open on Linux (RuntimeIdentifier 'linux-x64')");
        StringAssert.Contains(d.Message, "Unix LocalMachine X509Store is limited to the Root and CertificateAuthority stores");
        Expect.None(result, "MST0004");
    }

    [TestMethod]
    public void LocalMachineWithoutStore_MeansMy_ReportsMst2004()
    {
        using var p = new WebProject()
            .Settings("""{ "Kestrel": { "Certificates": { "Default": { "Subject": "shop.example", "Location": "localmachine" } }, "Endpoints": { "Https": { "Url": "https://127.0.0.1:5001" } } } }""");

        var d = Expect.Single(p.Lint(), "MST2004");

        StringAssert.Contains(d.Message, "the certificate of Certificates:Default is read from the LocalMachine\\My store");
    }

    [TestMethod]
    [DataRow("linux-x64", "CurrentUser", "My", DisplayName = "CurrentUser\\My on Linux opens")]
    [DataRow("linux-x64", "LocalMachine", "Root", DisplayName = "LocalMachine\\Root on Linux opens")]
    [DataRow("win-x64", "LocalMachine", "My", DisplayName = "LocalMachine\\My on Windows opens")]
    [DataRow(null, "LocalMachine", "My", DisplayName = "platform unknown: only a note")]
    public void StoreThatOpens_OrPlatformNotLinux_KeepsTheNote(string? rid, string location, string store)
    {
        using var p = new WebProject(rid)
            .Settings(WebProject.Endpoint($$"""{ "Subject": "shop.example", "Store": "{{store}}", "Location": "{{location}}" }"""));

        var result = p.Lint();

        Expect.None(result, "MST2004");
        Expect.Single(result, "MST0004");
    }

    // A PKCS#8 EncryptedPrivateKeyInfo block (only its markers are read; the lint never decrypts a key).
    private const string EncryptedKey = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n";

    [TestMethod]
    public void ConsistentLayers_AreSilent()
    {
        using var pem = new WebProject().Pem("site.pem", WebProject.Leaf, WebProject.Intermediate, WebProject.Root).File("site.key", WebProject.Leaf.KeyPem)
            .Settings("""{ "Kestrel": { "Certificates": { "Default": { "Path": "site.pem", "KeyPath": "site.key" } } } }""");
        using var encrypted = new WebProject().Pem("site.pem", WebProject.Leaf, WebProject.Intermediate, WebProject.Root)
            .File("site.key", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n")
            .Settings("""{ "Kestrel": { "Certificates": { "Default": { "Path": "site.pem", "KeyPath": "site.key", "Password": "pw" } } } }""");

        Expect.None(pem.Lint(), "MST2004");
        Expect.None(encrypted.Lint(), "MST2004");
    }
}

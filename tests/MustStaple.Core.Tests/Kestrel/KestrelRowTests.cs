using MustStaple.Core.Tests.Rules;
using MustStaple.Testing;

namespace MustStaple.Core.Tests.Kestrel;

/// <summary>The remaining statically decidable rows of docs/evidence/kestrel.md#config and what never changes a verdict (SslProtocols, ClientCertificateMode, AllowInvalid, a root in the PEM).</summary>
[TestClass]
public sealed class KestrelRowTests
{
    [TestMethod]
    public void A05_LeafOnlyPfx_ReportsMst3001()
    {
        using var p = new WebProject().Pfx("leaf.pfx", "pw", WebProject.Leaf).Settings(WebProject.Endpoint("""{ "Path": "leaf.pfx", "Password": "pw" }"""));

        StringAssert.Contains(Expect.Single(p.Lint(), "MST3001").Message, "PFX");
    }

    [TestMethod]
    public void A16_HttpsOcspUrl_ReportsMst1001AndNoChainVerdict()
    {
        var leaf = new CertificateBuilder("localhost").MustStaple().Ocsp("https://127.0.0.1:9/ocsp").IssuedBy(WebProject.Intermediate).Build();
        using var p = new WebProject().Pem("c.pem", leaf, WebProject.Intermediate, WebProject.Root).File("k.key", "")
            .Settings(WebProject.Endpoint("""{ "Path": "c.pem", "KeyPath": "k.key" }"""));

        var result = p.Lint();

        Assert.AreEqual(p.Path("c.pem"), Expect.Single(result, "MST1001").Location.Path);
        Assert.HasCount(1, result.Diagnostics);
    }

    [TestMethod]
    public void D03_AspNetCorePrefixedVariablesAndUrls_AreComposed()
    {
        using var p = new WebProject(rid: null).Pfx("site.pfx", "", WebProject.Leaf, WebProject.Intermediate, WebProject.Root)
            .File("docker-compose.yml", "services:\n  web:\n    image: shop\n    environment:\n      - ASPNETCORE_URLS=https://+:443\n      - ASPNETCORE_Kestrel__Certificates__Default__Path=site.pfx\n")
            .File("Dockerfile", "FROM mcr.microsoft.com/dotnet/aspnet:10.0\n");

        var d = Expect.Single(p.Lint(), "MST3001");

        Expect.At(d, p.Path("docker-compose.yml"), 6, 57, 6, 65);
    }

    [TestMethod]
    public void D04_SniWildcardWithFullChain_IsClean()
    {
        using var p = new WebProject().Pem("c.pem", WebProject.Leaf, WebProject.Intermediate, WebProject.Root).File("k.key", "")
            .Settings("""{ "Kestrel": { "Endpoints": { "Https": { "Url": "https://*:443", "Sni": { "*": { "Certificate": { "Path": "c.pem", "KeyPath": "k.key" } } } } } } }""");

        Assert.IsEmpty(p.Lint().Diagnostics);
    }

    [TestMethod]
    public void A20_DoNotFlag_SslProtocolsClientCertificateModeAllowInvalidAndH1H2()
    {
        using var p = new WebProject().Pem("c.pem", WebProject.Leaf, WebProject.Intermediate, WebProject.Root).File("k.key", "")
            .Settings("""
                { "Kestrel": {
                    "EndpointDefaults": { "Protocols": "Http1AndHttp2", "SslProtocols": [ "Tls12", "Tls13" ], "ClientCertificateMode": "AllowCertificate" },
                    "Endpoints": { "Https": { "Url": "https://*:443", "SslProtocols": [ "Tls12" ],
                      "Certificate": { "Path": "c.pem", "KeyPath": "k.key", "AllowInvalid": true } } } } }
                """);

        Assert.IsEmpty(p.Lint().Diagnostics);
    }

    [TestMethod]
    public void EndpointDefaultsHttp3_AppliesToEndpointsWithoutProtocols()
    {
        using var p = new WebProject().Pem("c.pem", WebProject.Leaf, WebProject.Intermediate, WebProject.Root).File("k.key", "")
            .Settings("""{ "Kestrel": { "EndpointDefaults": { "Protocols": "Http1AndHttp2AndHttp3" }, "Endpoints": { "Https": { "Url": "https://*:443", "Certificate": { "Path": "c.pem", "KeyPath": "k.key" } } } } }""");

        var d = Expect.Single(p.Lint(), "MST3005");

        var (line, col) = p.Find("appsettings.json", "\"Http1AndHttp2AndHttp3\"");
        Expect.At(d, p.Path("appsettings.json"), line, col, line, col + 23);
    }
}

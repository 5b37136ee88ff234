using MustStaple.Certificates;
using MustStaple.Core.Tests.Kestrel;
using MustStaple.Discovery;
using MustStaple.Hosting;
using MustStaple.Kestrel;
using MustStaple.Rules;
using MustStaple.Servers;

namespace MustStaple.Core.Tests.Servers;

/// <summary>
/// Kestrel as one server of the model (issue 19): its https endpoints and Sni entries are <see cref="TlsEndpoint"/>s of
/// <see cref="ServerKind.Kestrel"/>, what they serve <see cref="EndpointCertificate"/>s, in the same list as the proxies.
/// </summary>
[TestClass]
public sealed class KestrelServerTests
{
    // The model as the engine reads it before judging: hosting layer, server configurations, Kestrel deployments, fronts.
    private static LintContext Model(WebProject p)
    {
        var root = p.Folder.Root;
        var assets = AssetDiscovery.Discover([root], [], []);
        var inputs = new InputReader(root);
        var hosting = HostingReader.Read(assets, inputs.Read);
        var servers = ServerConfigReader.Read(assets, root, inputs.Read, null, hosting);
        var deployments = DeploymentReader.Read(assets, new DeploymentHints(), inputs.Read);
        ClientReach.AssignFronts(deployments, hosting, servers, inputs.Read);
        return new LintContext(Testing.TestClock.Now, [], RetiredResponderList.Shipped, deployments, root, null, null, servers, hosting);
    }

    private const string Endpoints = """
        { "Kestrel": { "Endpoints": {
            "Plain": { "Url": "http://*:8080" },
            "Other": { "Url": "https://*:8443", "Protocols": "Http1AndHttp2AndHttp3", "Certificate": { "Path": "other.pem", "KeyPath": "k.key" } },
            "Https": { "Url": "https://*:443", "Certificate": { "Path": "chain.pem", "KeyPath": "k.key" },
              "Sni": { "a.example": { "Certificate": { "Path": "a.pem", "KeyPath": "k.key" } }, "*": { } } } } } }
        """;

    private static WebProject Project(string dockerfile = "FROM mcr.microsoft.com/dotnet/aspnet:10.0\n") =>
        new WebProject(rid: null).Pem("chain.pem", WebProject.Leaf, WebProject.Intermediate).Pem("a.pem", WebProject.Leaf).Pem("other.pem", WebProject.Leaf)
            .File("k.key", "").Settings(Endpoints).File("Dockerfile", dockerfile);

    private static readonly string[] ExpectedNames =
        ["Kestrel endpoint 'Other'", "Sni entry 'a.example' of Kestrel endpoint 'Https'", "Sni entry '*' of Kestrel endpoint 'Https'"];

    [TestMethod]
    public void HttpsEndpointsAndSniEntries_AreTlsEndpointsOfServerKindKestrel()
    {
        using var p = Project();

        var context = Model(p);

        var kestrel = context.AllServers.Single(s => s.Server == ServerKind.Kestrel);
        Assert.AreSame(context.Deployments.Single(), kestrel.KestrelDeployment);
        CollectionAssert.AreEquivalent(ExpectedNames, kestrel.Endpoints.Select(e => e.Name).ToArray());
        Assert.IsTrue(kestrel.Endpoints.All(e => e.Server == ServerKind.Kestrel && e.StaplingOn));
        var other = kestrel.Endpoints.Single(e => e.Name == "Kestrel endpoint 'Other'");
        Assert.AreEqual("Http1AndHttp2AndHttp3", other.Setting("Protocols")!.Value);
        Assert.AreEqual(p.Path("other.pem"), other.Certificates.Single().Certificate.ResolvedPath);
        var own = kestrel.Endpoints.Single(e => e.Name.StartsWith("Sni entry 'a.example'", StringComparison.Ordinal)).Certificates.Single();
        Assert.AreEqual("a.pem", own.Certificate.Value);
        Assert.IsNull(own.KestrelServed!.ChainDroppedBySni);
        var inherited = kestrel.Endpoints.Single(e => e.Name.StartsWith("Sni entry '*'", StringComparison.Ordinal)).Certificates.Single();
        Assert.AreEqual(p.Path("chain.pem"), inherited.Certificate.ResolvedPath);
        Assert.IsNotNull(inherited.KestrelServed!.ChainDroppedBySni, "an Sni entry without its own certificate serves the endpoint's without its chain");
    }

    [TestMethod]
    public void EveryServedCertificate_IsExactlyOneEndpointCertificate_AtTheLineTheVerdictsPointAt()
    {
        using var p = Project();

        var context = Model(p);

        var deployment = context.Deployments.Single();
        var certificates = context.AllServers.Single(s => s.Server == ServerKind.Kestrel).Endpoints.SelectMany(e => e.Certificates).ToList();
        Assert.HasCount(deployment.Served.Count, certificates);
        foreach (var served in deployment.Served)
            Assert.AreEqual(served.Cause.ValueLocation, certificates.Single(c => c.KestrelServed!.Via == served.Via).Certificate.Location);
    }

    [TestMethod]
    [DataRow("FROM mcr.microsoft.com/dotnet/aspnet:10.0-nanoserver-ltsc2022\n", false)]
    [DataRow("FROM mcr.microsoft.com/dotnet/aspnet:10.0\n", true)]
    public void StaplingOn_IsKestrelsPlatformDefault(string dockerfile, bool on)
    {
        using var p = Project(dockerfile);

        var kestrel = Model(p).AllServers.Single(s => s.Server == ServerKind.Kestrel);

        Assert.IsTrue(kestrel.Endpoints.All(e => e.StaplingOn == on));
    }

    [TestMethod]
    public void ComposeNginxInFrontOfKestrel_OneEndpointList_HoldsBoth_AndTheFrontTurnsKestrelsVerdictsIntoNotes()
    {
        using var p = new WebProject(rid: null).Pfx("certs/site.pfx", "pw", WebProject.Leaf, WebProject.Intermediate, WebProject.Root)
            .Pem("certs/chain.pem", WebProject.Leaf, WebProject.Intermediate, WebProject.Root).File("certs/k.key", "").Settings("{}")
            .File("Dockerfile", "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nCOPY certs/ /https/\n")
            .File("nginx/default.conf", "server {\n    listen 443 ssl;\n    ssl_certificate /etc/nginx/certs/chain.pem;\n    location / { proxy_pass https://app:8443; }\n}\n")
            .File("compose.yaml", "services:\n  proxy:\n    image: nginx:1.27\n    ports: [\"443:443\"]\n"
                + "    volumes:\n      - ./nginx/default.conf:/etc/nginx/conf.d/default.conf:ro\n      - ./certs:/etc/nginx/certs:ro\n"
                + "  app:\n    build: .\n    environment:\n      ASPNETCORE_HTTPS_PORTS: \"8443\"\n"
                + "      Kestrel__Certificates__Default__Path: /https/site.pfx\n      Kestrel__Certificates__Default__Password: pw\n");

        var context = Model(p);

        var nginx = context.AllServers.Single(s => s.Server == ServerKind.Nginx);
        var kestrel = context.AllServers.Single(s => s.Server == ServerKind.Kestrel);
        Assert.AreEqual(p.Path(Path.Combine("certs", "chain.pem")), nginx.Endpoints.Single().Certificates.Single().Certificate.ResolvedPath);
        var served = kestrel.Endpoints.Single().Certificates.Single();
        Assert.AreEqual(p.Path(Path.Combine("certs", "site.pfx")), served.Certificate.ResolvedPath);
        var notes = ClientReach.NotesByLocation(context.AllServers);
        StringAssert.Contains(notes[served.Certificate.Location].English, "compose service 'proxy'");
        Assert.IsFalse(nginx.Endpoints.Single().Certificates.Any(c => notes.ContainsKey(c.Certificate.Location)), "the front itself is judged");
    }

    [TestMethod]
    public void Servers_StaysTheConfigurationsRead_SoTheProxyRulesNeverJudgeKestrel()
    {
        using var p = Project();

        var context = Model(p);

        Assert.IsEmpty(context.Servers);
        Assert.HasCount(1, context.AllServers);
        Assert.IsEmpty(context.ServerServedMustStaple());
    }
}

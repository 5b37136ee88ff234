using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MustStaple.Kestrel;
using MustStaple.Testing;

namespace MustStaple.EndToEnd.Tests;

/// <summary>
/// docs/evidence/kestrel.md (the §2.6 items) against a real Kestrel (hosted by <c>WebApplication.CreateBuilder</c>, configured only by the
/// appsettings files and environment variables the test writes), a real OCSP responder on 127.0.0.1 and a
/// must-staple-enforcing client; for each scenario the lint's verdict must agree with what the server did. Several
/// scenarios share one Kestrel start (one endpoint each). Item 8 (Dockerfile stages) is Docker's behaviour, not
/// Kestrel's: it is proved by the unit tests (DeploymentModelTests).
/// </summary>
[TestClass]
public sealed class KestrelDeploymentTests
{
    private static readonly Lock EnvironmentLock = new();
    private static OcspResponder _responder = null!;
    private static TestCertificate _root = null!, _intermediate = null!, _leaf = null!, _leafByRoot = null!, _impostor = null!;
    private static TestCertificate _leafHttpsCaIssuers = null!, _intermediateWithCaIssuers = null!, _leafOfThat = null!, _unrelated = null!;

    [ClassInitialize]
    public static async Task StartResponder(TestContext _)
    {
        _responder = await OcspResponder.StartAsync();
        var ocsp = _responder.Url;
        var baseUrl = ocsp.Substring(0, ocsp.Length - "/ocsp".Length);
        _root = new CertificateBuilder("Facts Root").AsCa().Build();
        _intermediate = new CertificateBuilder("Facts Issuing CA").AsCa().IssuedBy(_root).Build();
        _impostor = new CertificateBuilder("Facts Issuing CA").AsCa().IssuedBy(_root).Build(); // same name, another key
        _intermediateWithCaIssuers = new CertificateBuilder("Facts Issuing CA 2").AsCa().CaIssuers(baseUrl + "/root.cer").IssuedBy(_root).Build();
        _unrelated = new CertificateBuilder("Unrelated CA").AsCa().Build();
        _leaf = Leaf(ocsp).IssuedBy(_intermediate).Build();
        _leafByRoot = Leaf(ocsp).IssuedBy(_root).Build();
        _leafHttpsCaIssuers = Leaf(ocsp).CaIssuers("https://127.0.0.1:9/int.cer").IssuedBy(_intermediate).Build();
        _leafOfThat = Leaf(ocsp).IssuedBy(_intermediateWithCaIssuers).Build();
        _responder.Issuer = _intermediate;
        _responder.OtherIssuers.AddRange([_root, _intermediateWithCaIssuers]);
        _responder.Files["/root.cer"] = _root.Certificate.GetEncoded();
    }

    private static CertificateBuilder Leaf(string ocsp) => new CertificateBuilder("localhost").MustStaple().Ocsp(ocsp).DnsNames("localhost", "127.0.0.1");

    [ClassCleanup]
    public static async Task StopResponder() => await _responder.DisposeAsync();

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task Items5To7And10_FallbacksSniChainBuildingHttp3_LintAgreesWithKestrel()
    {
        using var dir = new TempDir();
        WriteCommonFiles(dir);
        dir.Write("site.pfx", _leaf.ToPfx("pw", _intermediate, _root));
        dir.Write("mixed.pem", TestCertificate.PemChain(_leaf, _unrelated, _root, _intermediate));
        dir.Write("impostor.pem", TestCertificate.PemChain(_leaf, _impostor, _root));
        dir.Write("two.pem", TestCertificate.PemChain(_leafByRoot, _root));
        dir.Write("two.key", _leafByRoot.KeyPem);
        dir.Write("https-ca.pem", _leafHttpsCaIssuers.Pem);
        dir.Write("https-ca.key", _leafHttpsCaIssuers.KeyPem);
        dir.Write("via-int.pem", TestCertificate.PemChain(_leafOfThat, _intermediateWithCaIssuers));
        dir.Write("via-int.key", _leafOfThat.KeyPem);
        var scenarios = new Dictionary<string, (string Json, bool Stapled, string[] Findings)>
        {
            // docs/evidence/kestrel.md#item5: an empty Path counts as absent: Certificates:Default (a full PEM chain) is served.
            ["EmptyPath"] = ("""{ "Certificate": { "Path": "" } }""", true, []),
            // docs/evidence/kestrel.md#item6: an Sni entry without a certificate drops Certificates:Default's chain…
            ["SniNoCert"] = ("""{ "Sni": { "localhost": { "Protocols": "Http1" } } }""", false, ["MST3001"]),
            // …and one with its own PEM chain staples although the endpoint's certificate is a PFX.
            ["SniOwnPem"] = ("""{ "Certificate": { "Path": "site.pfx", "Password": "pw" }, "Sni": { "localhost": { "Certificate": { "Path": "chain.pem", "KeyPath": "leaf.key" } } } }""", true, []),
            // docs/evidence/kestrel.md#item7: order does not matter and unrelated certificates are ignored…
            ["Shuffled"] = ("""{ "Certificate": { "Path": "mixed.pem", "KeyPath": "leaf.key" } }""", true, []),
            // …a certificate with the issuer's name but another key is not used…
            ["Impostor"] = ("""{ "Certificate": { "Path": "impostor.pem", "KeyPath": "leaf.key" } }""", false, ["MST3001"]),
            // …a leaf issued by the root (2-certificate chain) staples…
            ["TwoCerts"] = ("""{ "Certificate": { "Path": "two.pem", "KeyPath": "two.key" } }""", true, []),
            // …an https caIssuers URL is never fetched…
            ["HttpsCaIssuers"] = ("""{ "Certificate": { "Path": "https-ca.pem", "KeyPath": "https-ca.key" } }""", false, ["MST3001"]),
            // …and an http caIssuers URL on the intermediate fetches the root (the lint: stapled if egress allows).
            ["IntermediateCaIssuers"] = ("""{ "Certificate": { "Path": "via-int.pem", "KeyPath": "via-int.key" } }""", true, ["MST3002"]),
            // docs/evidence/kestrel.md#item10: Http1AndHttp2AndHttp3 binds TCP (no libmsquic here) and TCP handshakes staple; QUIC never would.
            ["Http3"] = ("""{ "Protocols": "Http1AndHttp2AndHttp3", "Certificate": { "Path": "chain.pem", "KeyPath": "leaf.key" } }""", true, ["MST3005"]),
        };
        var ports = scenarios.Keys.ToDictionary(k => k, _ => FreePort());
        var endpoints = string.Join(",\n", scenarios.Select(s =>
            $$"""    "{{s.Key}}": { "Url": "https://127.0.0.1:{{ports[s.Key]}}", {{s.Value.Json.Trim().TrimStart('{').TrimEnd('}')}} }"""));
        dir.Write("appsettings.json", $$"""
            { "Kestrel": {
              "Certificates": { "Default": { "Path": "chain.pem", "KeyPath": "leaf.key" } },
              "Endpoints": {
            {{endpoints}}
              } } }
            """);
        var fetchesBefore = _responder.FileRequests;

        var lint = Lint(dir);
        var observed = await ServeAsync(dir, ports, scenarios.ToDictionary(s => s.Key, s => s.Value.Stapled));

        foreach (var (name, (_, stapled, findings)) in scenarios)
        {
            Assert.AreEqual(stapled, observed[name], $"{name}: Kestrel {(observed[name] ? "stapled" : "did not staple")}");
            CollectionAssert.AreEquivalent(findings, FindingsFor(lint, name), $"{name}: {string.Join(" | ", lint.Diagnostics.Select(d => d.Id + " " + d.Message))}");
        }
        Assert.IsGreaterThan(fetchesBefore, _responder.FileRequests, "the root was fetched through the intermediate's http caIssuers URL");
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    [DataRow("http", false, DisplayName = "http-only urls: no TLS port, Certificates:Default never served")]
    [DataRow("https", true, DisplayName = "https urls: served with Certificates:Default")]
    [DataRow("endpoints", false, DisplayName = "an Endpoints section: urls ignored")]
    public async Task Item4_WhichUrlsGetTls_LintAgreesWithKestrel(string shape, bool tls)
    {
        using var dir = new TempDir();
        WriteCommonFiles(dir);
        dir.Write("leaf-only.pem", _leaf.Pem);
        var port = FreePort();
        var urls = shape == "http" ? $"http://127.0.0.1:{port}" : $"https://127.0.0.1:{port}";
        var endpoints = shape == "endpoints" ? $$""", "Endpoints": { "Http": { "Url": "http://127.0.0.1:{{FreePort()}}" } }""" : "";
        dir.Write("appsettings.json", $$"""{ "urls": "{{urls}}", "Kestrel": { "Certificates": { "Default": { "Path": "leaf-only.pem", "KeyPath": "leaf.key" } }{{endpoints}} } }""");

        var lint = Lint(dir);
        var spoke = await SpeaksTlsAsync(dir, port);

        Assert.AreEqual(tls, spoke, $"Kestrel {(spoke ? "served" : "did not serve")} TLS on the urls port");
        // Served, the leaf-only PEM is never stapled: MST3001; not served, nothing to report.
        Assert.AreEqual(tls ? 1 : 0, lint.Diagnostics.Count(d => d.Id == "MST3001"), string.Join(" | ", lint.Diagnostics.Select(d => d.Id + " " + d.Message)));
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task Item1_DotnetEnvironmentWinsOverAspnetcoreEnvironment_LintAgreesWithKestrel()
    {
        using var dir = new TempDir();
        WriteCommonFiles(dir);
        dir.Write("leaf-only.pem", _leaf.Pem);
        var port = FreePort();
        dir.Write("appsettings.json", $$"""{ "Kestrel": { "Endpoints": { "Https": { "Url": "https://127.0.0.1:{{port}}" } } } }""");
        dir.Write("appsettings.Development.json", """{ "Kestrel": { "Certificates": { "Default": { "Path": "leaf-only.pem", "KeyPath": "leaf.key" } } } }""");
        dir.Write("appsettings.Staging.json", """{ "Kestrel": { "Certificates": { "Default": { "Path": "chain.pem", "KeyPath": "leaf.key" } } } }""");
        dir.Write("Dockerfile", "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nENV ASPNETCORE_ENVIRONMENT=Staging\nENV DOTNET_ENVIRONMENT=Development\n");
        var env = new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = "Staging", ["DOTNET_ENVIRONMENT"] = "Development" };

        var lint = Lint(dir, platform: null);
        var observed = await ServeAsync(dir, new() { ["Https"] = port }, new() { ["Https"] = false }, env, expectEnvironment: "Development");

        Assert.IsFalse(observed["Https"]);
        var d = lint.Diagnostics.Single(x => x.Id == "MST3001");
        Assert.AreEqual(Path.Combine(dir.Root, "appsettings.Development.json"), d.Location.Path);
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task Items2And3_CaseSensitiveEnvironmentFileAndVariableLayers_LintAgreesWithKestrel()
    {
        using var dir = new TempDir();
        WriteCommonFiles(dir);
        dir.Write("leaf-only.pem", _leaf.Pem);
        var ports = new Dictionary<string, int> { ["Default"] = FreePort(), ["Overridden"] = FreePort(), ["LowerCase"] = FreePort() };
        dir.Write("appsettings.json", $$"""
            { "Kestrel": {
                "Certificates": { "Default": { "Path": "chain.pem", "KeyPath": "leaf.key" } },
                "Endpoints": {
                  "Default": { "Url": "https://127.0.0.1:{{ports["Default"]}}" },
                  "Overridden": { "Url": "https://127.0.0.1:{{ports["Overridden"]}}" },
                  "LowerCase": { "Url": "https://127.0.0.1:{{ports["LowerCase"]}}", "Certificate": { "Path": "chain.pem", "KeyPath": "leaf.key" } } } } }
            """);
        // Item 3: the environment file sets Overridden's certificate, the unprefixed variable overrides it.
        dir.Write("appsettings.Staging.json", """{ "Kestrel": { "Endpoints": { "Overridden": { "Certificate": { "Path": "chain.pem", "KeyPath": "leaf.key" } } } } }""");
        // Item 2: on Linux this file is not Staging's.
        dir.Write("appsettings.staging.json", """{ "Kestrel": { "Endpoints": { "LowerCase": { "Certificate": { "Path": "leaf-only.pem" } } } } }""");
        var env = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Staging",
            ["ASPNETCORE_Kestrel__Certificates__Default__Path"] = "leaf-only.pem", // below appsettings.json: loses
            ["Kestrel__Endpoints__Overridden__Certificate__Path"] = "leaf-only.pem", // above appsettings.Staging.json: wins
        };
        dir.Write("Dockerfile", "FROM mcr.microsoft.com/dotnet/aspnet:10.0\n" + string.Concat(env.Select(e => $"ENV {e.Key}={e.Value}\n")));

        var lint = Lint(dir, platform: null);
        var observed = await ServeAsync(dir, ports, new() { ["Default"] = true, ["Overridden"] = false, ["LowerCase"] = true }, env, expectEnvironment: "Staging");

        Assert.IsTrue(observed["Default"], "ASPNETCORE_Kestrel__ lost to appsettings.json");
        Assert.IsFalse(observed["Overridden"], "Kestrel__ won over appsettings.Staging.json");
        Assert.IsTrue(observed["LowerCase"], "appsettings.staging.json was not loaded");
        Assert.AreEqual("Overridden", string.Join(",", ports.Keys.Where(n => FindingsFor(lint, n).Contains("MST3001"))),
            string.Join(" | ", lint.Diagnostics.Select(d => d.Id + " " + d.Message)));
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    [DataRow("keypath-pfx", DisplayName = "an overlay switches Path to a PFX, KeyPath inherited")]
    [DataRow("password-pem", DisplayName = "an overlay switches to PEM + unencrypted key, Password inherited")]
    [DataRow("intermediate-first", DisplayName = "the PEM starts with the intermediate")]
    public async Task Item9_KestrelRefusesToStart_LintReportsMst2004(string shape)
    {
        using var dir = new TempDir();
        WriteCommonFiles(dir);
        dir.Write("site.pfx", _leaf.ToPfx("pw", _intermediate, _root));
        dir.Write("int-first.pem", TestCertificate.PemChain(_intermediate, _leaf, _root));
        var port = FreePort();
        var (baseCert, overlay) = shape switch
        {
            "keypath-pfx" => ("""{ "Path": "chain.pem", "KeyPath": "leaf.key" }""", """{ "Path": "site.pfx", "Password": "pw" }"""),
            "password-pem" => ("""{ "Path": "site.pfx", "Password": "pw" }""", """{ "Path": "chain.pem", "KeyPath": "leaf.key" }"""),
            _ => ("""{ "Path": "int-first.pem", "KeyPath": "leaf.key" }""", "{}"),
        };
        dir.Write("appsettings.json", $$"""{ "Kestrel": { "Endpoints": { "Https": { "Url": "https://127.0.0.1:{{port}}", "Certificate": {{baseCert}} } } } }""");
        dir.Write("appsettings.Production.json", $$"""{ "Kestrel": { "Endpoints": { "Https": { "Certificate": {{overlay}} } } } }""");

        var lint = Lint(dir);
        Exception? failure = null;
        try
        {
            await ServeAsync(dir, new() { ["Https"] = port }, new() { ["Https"] = true });
        }
        catch (Exception ex) when (ex is not AssertFailedException)
        {
            failure = ex;
        }

        Assert.IsNotNull(failure, "Kestrel started");
        Assert.AreEqual(1, lint.Diagnostics.Count(d => d.Id == "MST2004"), string.Join(" | ", lint.Diagnostics.Select(d => d.Id + " " + d.Message)));
    }

    // §2.7.6-7: a store certificate from LocalMachine\My (Store written or absent) on Linux, and an encrypted PKCS#8 key
    // without a Password: a real Kestrel refuses each at startup, with the message MST2004 quotes.
    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    [DataRow("localmachine-my", DisplayName = "Location LocalMachine, Store My")]
    [DataRow("localmachine-no-store", DisplayName = "Location LocalMachine, no Store (My)")]
    [DataRow("encrypted-key-no-password", DisplayName = "an encrypted PKCS#8 KeyPath, no Password")]
    public async Task Round3Items6And7_KestrelRefusesToStart_LintReportsMst2004(string shape)
    {
        using var dir = new TempDir();
        WriteCommonFiles(dir);
        dir.Write("encrypted.key", EncryptedKeyPem(_leaf, "key-pw"));
        var port = FreePort();
        var (certificate, thrown) = shape switch
        {
            "localmachine-my" => ("""{ "Subject": "localhost", "Store": "My", "Location": "LocalMachine" }""", "Unix LocalMachine X509Store is limited to the Root and CertificateAuthority stores"),
            "localmachine-no-store" => ("""{ "Subject": "localhost", "Location": "LocalMachine" }""", "Unix LocalMachine X509Store is limited to the Root and CertificateAuthority stores"),
            _ => ("""{ "Path": "chain.pem", "KeyPath": "encrypted.key" }""", "An encrypted key was found, but no password was provided"),
        };
        dir.Write("appsettings.json", $$"""{ "Kestrel": { "Endpoints": { "Https": { "Url": "https://127.0.0.1:{{port}}", "Certificate": {{certificate}} } } } }""");

        var lint = Lint(dir);
        Exception? failure = null;
        try
        {
            await ServeAsync(dir, new() { ["Https"] = port }, new() { ["Https"] = true });
        }
        catch (Exception ex) when (ex is not AssertFailedException)
        {
            failure = ex;
        }

        Assert.IsNotNull(failure, "Kestrel started");
        StringAssert.Contains(failure.ToString(), thrown);
        var d = lint.Diagnostics.Single(x => x.Id == "MST2004");
        StringAssert.Contains(d.Message, thrown);
        Assert.AreEqual(0, lint.Diagnostics.Count(x => x.Id == "MST0004"), string.Join(" | ", lint.Diagnostics.Select(x => x.Id + " " + x.Message)));
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task Round3Item7_EncryptedKeyWithPassword_IsStapled_AndLintIsSilent()
    {
        using var dir = new TempDir();
        WriteCommonFiles(dir);
        dir.Write("encrypted.key", EncryptedKeyPem(_leaf, "key-pw"));
        var port = FreePort();
        dir.Write("appsettings.json", $$"""{ "Kestrel": { "Endpoints": { "Https": { "Url": "https://127.0.0.1:{{port}}", "Certificate": { "Path": "chain.pem", "KeyPath": "encrypted.key", "Password": "key-pw" } } } } }""");

        var lint = Lint(dir);
        var observed = await ServeAsync(dir, new() { ["Https"] = port }, new() { ["Https"] = true });

        Assert.IsTrue(observed["Https"], "no staple");
        Assert.IsEmpty(FindingsFor(lint, "Https"), string.Join(" | ", lint.Diagnostics.Select(x => x.Id + " " + x.Message)));
        Assert.AreEqual(0, lint.Diagnostics.Count(x => x.Id == "MST2004"));
    }

    // The leaf's key as an encrypted PKCS#8 PEM (PBES2, AES-256-CBC), as `openssl pkcs8 -topk8 -v2 aes256` writes it.
    private static string EncryptedKeyPem(TestCertificate leaf, string password)
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        key.ImportFromPem(leaf.KeyPem);
        return key.ExportEncryptedPkcs8PrivateKeyPem(password, new System.Security.Cryptography.PbeParameters(
            System.Security.Cryptography.PbeEncryptionAlgorithm.Aes256Cbc, System.Security.Cryptography.HashAlgorithmName.SHA256, 10_000));
    }

    private static void WriteCommonFiles(TempDir dir)
    {
        dir.Write("chain.pem", TestCertificate.PemChain(_leaf, _intermediate, _root));
        dir.Write("leaf.key", _leaf.KeyPem);
    }

    private static LintResult Lint(TempDir dir, TargetPlatform? platform = TargetPlatform.Linux) =>
        LintEngine.Run(new LintRequest { Paths = [dir.Root], Now = DateTimeOffset.UtcNow, TargetPlatform = platform, SourceRoot = dir.Root });

    // The MST1xxx-MST3xxx IDs whose message names the endpoint.
    private static List<string> FindingsFor(LintResult lint, string endpoint) =>
        lint.Diagnostics.Where(d => d.Id[3] is '1' or '2' or '3')
            .Where(d => d.Message.Contains($"ndpoint '{endpoint}'", StringComparison.Ordinal)).Select(d => d.Id).ToList();

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    // Starts one Kestrel for the folder and probes every port in parallel; true where a staple came back.
    private static async Task<Dictionary<string, bool>> ServeAsync(TempDir dir, Dictionary<string, int> ports, Dictionary<string, bool> expectStaple,
        Dictionary<string, string?>? environment = null, string? expectEnvironment = null)
    {
        await using var app = Build(dir, environment);
        if (expectEnvironment is not null) Assert.AreEqual(expectEnvironment, app.Environment.EnvironmentName);
        await app.StartAsync();
        try
        {
            // Kestrel fetches in the background and never waits: poll a bounded number of handshakes; expecting no
            // staple, still allow the fetch 1.5 s so "not stapled" is not a timing accident.
            var probes = ports.Select(p => Task.Run(() => (p.Key, StapleProbe.Poll(p.Value, attempts: expectStaple[p.Key] ? 40 : 6, delayMs: 250).Stapled)));
            return (await Task.WhenAll(probes)).ToDictionary(r => r.Key, r => r.Stapled);
        }
        finally
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await app.StopAsync(cts.Token);
        }
    }

    private static async Task<bool> SpeaksTlsAsync(TempDir dir, int port)
    {
        await using var app = Build(dir, null);
        await app.StartAsync();
        try
        {
            return await Task.Run(() =>
            {
                try { StapleProbe.Handshake(port); return true; } // a handshake completed, stapled or refused for must-staple
                catch (Exception ex) when (ex is IOException or SocketException or Org.BouncyCastle.Tls.TlsFatalAlert or TimeoutException or AggregateException) { return false; }
            });
        }
        finally
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await app.StopAsync(cts.Token);
        }
    }

    // WebApplication.CreateBuilder reads the process environment when it is created: the variables are set only
    // around the build, under a lock (the e2e tests do not run in parallel; the lock keeps it so within this class).
    private static WebApplication Build(TempDir dir, Dictionary<string, string?>? environment)
    {
        // Unless a test sets them, no environment name comes from the machine running the tests: Production.
        var variables = new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = null, ["DOTNET_ENVIRONMENT"] = null };
        foreach (var (k, v) in environment ?? []) variables[k] = v;
        lock (EnvironmentLock)
        {
            var saved = variables.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
            try
            {
                foreach (var (k, v) in variables) Environment.SetEnvironmentVariable(k, v);
                var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = dir.Root, Args = [] });
                builder.Logging.ClearProviders();
                var app = builder.Build();
                app.MapGet("/", () => "ok");
                return app;
            }
            finally
            {
                foreach (var (k, v) in saved) Environment.SetEnvironmentVariable(k, v);
            }
        }
    }
}

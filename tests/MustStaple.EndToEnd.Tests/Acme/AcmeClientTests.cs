using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MustStaple.EndToEnd.Tests.Proxies;

namespace MustStaple.EndToEnd.Tests.Acme;

/// <summary>
/// Each ACME client's shape, proven against pebble on 127.0.0.1 (docs/acme-clients.md): the client runs with its
/// must-staple switch and without, and the lint reads what it left — the CSR, the client's own settings, the file
/// layout a server configuration points at. Inconclusive when the client or pebble is not installed (.ci/run installs them).
/// </summary>
[TestClass]
[DoNotParallelize] // ports are picked free then handed to pebble and the clients: two runs at once could pick the same one
public sealed class AcmeClientTests
{
    [TestMethod]
    [Timeout(180_000, CooperativeCancellation = true)]
    [DataRow(true)]
    [DataRow(false)]
    public void Certbot_WritesTheSwitchIntoItsCsrAndRenewalConf_AndTheLintReadsIt(bool mustStaple)
    {
        var certbot = ProxyHarness.Require("certbot");
        using var pebble = new Pebble();
        var config = Path.Combine(pebble.Repo, "letsencrypt");
        var args = new List<string> { "certonly", "--non-interactive", "--agree-tos", "-m", "a@example.org", "--server", pebble.Directory, "--standalone",
            "--http-01-port", ProxyHarness.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--config-dir", config,
            "--work-dir", Path.Combine(pebble.Harness.Root, "work"), "--logs-dir", Path.Combine(pebble.Harness.Root, "logs"), "-d", "ms.example.org", "--cert-name", "ms" };
        if (mustStaple) args.Add("--must-staple");

        var (code, output) = ProxyHarness.Run(certbot, args, 120, new Dictionary<string, string> { ["REQUESTS_CA_BUNDLE"] = pebble.CaFile });
        Assert.AreEqual(0, code, output);
        pebble.ServeWithNginx(Path.Combine(config, "live", "ms", "fullchain.pem"));
        var result = pebble.Lint();

        // certbot's layout: live/<cert-name>/ with the leaf, the chain and both.
        Assert.AreEqual(1, Pebble.Certificates(Path.Combine(config, "live", "ms", "cert.pem")));
        Assert.AreEqual(1, Pebble.Certificates(Path.Combine(config, "live", "ms", "chain.pem")));
        Assert.AreEqual(2, Pebble.Certificates(Path.Combine(config, "live", "ms", "fullchain.pem")));
        var renewal = File.ReadAllText(Path.Combine(config, "renewal", "ms.conf"));
        Assert.AreEqual(mustStaple, renewal.Contains("must_staple = True", StringComparison.Ordinal), renewal);
        var ids = result.Diagnostics.Select(d => d.Id).ToList();
        Assert.AreEqual(mustStaple, ids.Contains("MST1007"), Pebble.Describe(result)); // the CSR in csr/ asks for status_request
        Assert.AreEqual(mustStaple ? 1 : 0, ids.Count(i => i == "MST5002"), Pebble.Describe(result)); // renewal/ms.conf, pebble is no known CA
        Assert.AreEqual(mustStaple ? 1 : 0, ids.Count(i => i == "MST4001"), Pebble.Describe(result)); // nginx serves live/ms/fullchain.pem unstapled
        if (mustStaple)
            Assert.AreEqual(Path.Combine(config, "renewal", "ms.conf"), result.Diagnostics.Single(d => d.Id == "MST5002").Location.Path);
    }

    [TestMethod]
    [Timeout(180_000, CooperativeCancellation = true)]
    [DataRow(true)]
    [DataRow(false)]
    public void Lego_WritesCertificatesWhereTheLintExpects(bool mustStaple)
    {
        var lego = ProxyHarness.Require("lego");
        using var pebble = new Pebble();
        var path = Path.Combine(pebble.Repo, "lego");
        var args = new List<string> { "--accept-tos", "--email", "a@example.org", "--server", pebble.Directory, "--http",
            "--http.port", "127.0.0.1:" + ProxyHarness.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--path", path, "-d", "lego.example.org", "run" };
        if (mustStaple) args.Add("--must-staple");

        var (code, output) = ProxyHarness.Run(lego, args, 120, new Dictionary<string, string> { ["LEGO_CA_CERTIFICATES"] = pebble.CaFile });
        Assert.AreEqual(0, code, output);
        // lego keeps no settings: the request is in the script that runs it, the certificate where lego wrote it.
        pebble.Harness.Write("repo/renew.sh", "#!/bin/sh\nlego " + string.Join(" ", args.Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"'{a}'" : a)) + "\n");
        pebble.ServeWithNginx(Path.Combine(path, "certificates", "lego.example.org.crt"));
        var result = pebble.Lint();

        Assert.AreEqual(2, Pebble.Certificates(Path.Combine(path, "certificates", "lego.example.org.crt")));
        Assert.AreEqual(1, Pebble.Certificates(Path.Combine(path, "certificates", "lego.example.org.issuer.crt")));
        var ids = result.Diagnostics.Select(d => d.Id).ToList();
        Assert.AreEqual(mustStaple ? 1 : 0, ids.Count(i => i == "MST5002"), Pebble.Describe(result));
        Assert.AreEqual(mustStaple ? 1 : 0, ids.Count(i => i == "MST4001"), Pebble.Describe(result));
    }

    [TestMethod]
    [Timeout(180_000, CooperativeCancellation = true)]
    [DataRow(true)]
    [DataRow(false)]
    public void Dehydrated_OcspMustStaple_PutsTheTlsFeatureInItsCsr(bool mustStaple)
    {
        var dehydrated = ProxyHarness.Require("dehydrated");
        using var pebble = new Pebble();
        var baseDir = Path.Combine(pebble.Repo, "dehydrated");
        var config = pebble.Harness.Write("repo/dehydrated/config",
            $"CA=\"{pebble.Directory}\"\nBASEDIR=\"{baseDir}\"\nWELLKNOWN=\"{baseDir}/wk\"\nOCSP_MUST_STAPLE=\"{(mustStaple ? "yes" : "no")}\"\nCURL_OPTS=\"--cacert {pebble.CaFile}\"\n");
        Directory.CreateDirectory(Path.Combine(baseDir, "wk"));

        var register = ProxyHarness.Run(dehydrated, ["-f", config, "--register", "--accept-terms"], 120);
        var (code, output) = ProxyHarness.Run(dehydrated, ["-f", config, "-c", "-d", "dh.example.org"], 120);
        Assert.AreEqual(0, code, $"register ({register.ExitCode}):\n{register.Output}\nissue:\n{output}\npebble:\n{pebble.Harness.ReadLog()}");
        pebble.ServeWithNginx(Path.Combine(baseDir, "certs", "dh.example.org", "fullchain.pem"));
        var result = pebble.Lint();

        Assert.AreEqual(2, Pebble.Certificates(Path.Combine(baseDir, "certs", "dh.example.org", "fullchain.pem")));
        var ids = result.Diagnostics.Select(d => d.Id).ToList();
        Assert.AreEqual(mustStaple, ids.Contains("MST1007"), Pebble.Describe(result));
        Assert.AreEqual(mustStaple ? 1 : 0, ids.Count(i => i == "MST5002"), Pebble.Describe(result));
        Assert.AreEqual(mustStaple ? 1 : 0, ids.Count(i => i == "MST4001"), Pebble.Describe(result));
    }

    /// <summary>pebble on 127.0.0.1 (every challenge valid), its TLS certificate made now; the linted repository is <see cref="Repo"/>.</summary>
    private sealed class Pebble : IDisposable
    {
        public Pebble()
        {
            var exe = ProxyHarness.Require("pebble");
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            san.AddDnsName("localhost");
            request.CertificateExtensions.Add(san.Build());
            using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
            CaFile = Harness.Write("pebble/pebble.crt", cert.ExportCertificatePem());
            var keyFile = Harness.Write("pebble/pebble.key", key.ExportPkcs8PrivateKeyPem());
            var port = ProxyHarness.FreePort();
            var ports = string.Join(",", new[] { ("listenAddress", "127.0.0.1:" + port), ("managementListenAddress", "127.0.0.1:" + ProxyHarness.FreePort()) }
                .Select(p => $"\"{p.Item1}\":\"{p.Item2}\""));
            var configFile = Harness.Write("pebble/pebble.json", "{\"pebble\":{" + ports + $",\"certificate\":\"{CaFile}\",\"privateKey\":\"{keyFile}\",\"httpPort\":{ProxyHarness.FreePort()},\"tlsPort\":{ProxyHarness.FreePort()},\"ocspResponderURL\":\"\",\"externalAccountBindingRequired\":false}}}}");
            Directory = $"https://127.0.0.1:{port}/dir";
            Repo = Path.Combine(Harness.Root, "repo");
            System.IO.Directory.CreateDirectory(Repo);
            Harness.StartServer(exe, ["-config", configFile], port, env: new Dictionary<string, string> { ["PEBBLE_VA_ALWAYS_VALID"] = "1", ["PEBBLE_VA_NOSLEEP"] = "1", ["PEBBLE_WFE_NONCEREJECT"] = "0" }); // dehydrated does not retry a rejected nonce
        }

        public ProxyHarness Harness { get; } = new();

        public string CaFile { get; }

        public string Directory { get; }

        public string Repo { get; }

        /// <summary>An nginx server in the repository serving <paramref name="certificate"/> without stapling.</summary>
        public void ServeWithNginx(string certificate) =>
            Harness.Write("repo/nginx/nginx.conf", $"events {{}}\nhttp {{\n    server {{\n        listen 443 ssl;\n        ssl_certificate {certificate};\n    }}\n}}\n");

        public LintResult Lint() => LintEngine.Run(new LintRequest { Paths = [Repo], Now = DateTimeOffset.UtcNow, SourceRoot = Repo });

        public static int Certificates(string path) =>
            File.ReadAllText(path).Split("-----BEGIN CERTIFICATE-----").Length - 1;

        public static string Describe(LintResult r) =>
            string.Join("\n", r.Diagnostics.Select(d => Diagnostics.CanonicalFormatter.Format(d, d.Location.Path)));

        public void Dispose() => Harness.Dispose();
    }
}

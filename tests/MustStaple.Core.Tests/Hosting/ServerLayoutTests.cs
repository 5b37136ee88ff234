using MustStaple.Core.Tests.Rules;
using MustStaple.Core.Tests.Servers;
using MustStaple.Rules;

namespace MustStaple.Core.Tests.Hosting;

/// <summary>
/// Container paths resolve through the hosting layer (issue 19): a proxy's certificate at a path no server's layout
/// knows is found because a compose volume puts it there; the server's documented folders are only the fallback when
/// no container maps the configuration, and never override what a container shows.
/// </summary>
[TestClass]
public sealed class ServerLayoutTests
{
    private static string Lines(ServerRepo r, LintResult result) => string.Join("\n", r.Lines(result));

    // One compose service running the server's image, publishing 443, with read-only bind volumes.
    private static string Compose(string service, string image, params string[] volumes) =>
        $"services:\n  {service}:\n    image: {image}\n    ports: [\"443:443\"]\n    volumes:\n" + string.Concat(volumes.Select(v => $"      - {v}:ro\n"));

    [TestMethod]
    public void Nginx_CertificateMappedOnlyByAComposeVolume_Resolves()
    {
        using var r = new ServerRepo().Pem("tls/site.pem", ServerRepo.Leaf, ServerRepo.Intermediate)
            .File("proxy/site.conf", "server {\n    listen 443 ssl;\n    ssl_certificate /srv/tls/site.pem;\n    ssl_certificate_key /srv/tls/site.key;\n}\n")
            .File("compose.yaml", Compose("proxy", "nginx:1.27", "./proxy/site.conf:/etc/nginx/conf.d/site.conf", "./tls:/srv/tls"));

        var result = r.Lint();

        Expect.None(result, RuleIds.UnreadableInput);
        var d = ServerRepo.Of(result, RuleIds.StaplingOff).Single();
        Assert.AreEqual(r.Path("proxy/site.conf"), d.Location.Path, Lines(r, result));
    }

    [TestMethod]
    public void HAProxy_CrtBaseMappedOnlyByAComposeVolume_Resolves()
    {
        using var r = new ServerRepo().Pem("certs/site.pem", ServerRepo.Leaf, ServerRepo.Intermediate)
            .File("lb/haproxy.cfg", "global\n    crt-base /run/tls\n\nfrontend web\n    bind :443 ssl crt site.pem\n    default_backend app\n\nbackend app\n    server app app:8080\n")
            .File("compose.yaml", Compose("lb", "haproxy:2.6", "./lb/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg", "./certs:/run/tls"));

        var result = r.Lint();

        Expect.None(result, RuleIds.UnreadableInput);
        var d = ServerRepo.Of(result, RuleIds.HAProxyOcspFileMissing).Single();
        Assert.AreEqual(r.Path("lb/haproxy.cfg"), d.Location.Path, Lines(r, result));
    }

    [TestMethod]
    public void Caddy_CertificateMappedOnlyByAComposeVolume_Resolves()
    {
        using var r = new ServerRepo().Pem("tls/site.pem", ServerRepo.Leaf, ServerRepo.Intermediate)
            .File("caddy/Caddyfile", "{\n    ocsp_stapling off\n}\n\nexample.com {\n    tls /data/tls/site.pem /data/tls/site.key\n}\n")
            .File("compose.yaml", Compose("web", "caddy:2.6", "./caddy/Caddyfile:/etc/caddy/Caddyfile", "./tls:/data/tls"));

        var result = r.Lint();

        Expect.None(result, RuleIds.UnreadableInput);
        Assert.HasCount(1, ServerRepo.Of(result, RuleIds.StaplingOff), Lines(r, result));
    }

    [TestMethod]
    public void NoContainer_TheServersDocumentedFolder_IsTheFallback()
    {
        using var r = new ServerRepo().Pem("nginx/certs/site.pem", ServerRepo.Leaf, ServerRepo.Intermediate)
            .File("nginx/nginx.conf", "events {}\nhttp {\n    server {\n        listen 443 ssl;\n        ssl_certificate /etc/nginx/certs/site.pem;\n    }\n}\n");

        var result = r.Lint();

        Assert.AreEqual(r.Path("nginx/nginx.conf"), ServerRepo.Of(result, RuleIds.StaplingOff).Single().Location.Path, Lines(r, result));
    }

    [TestMethod]
    public void ContainerMapsTheConfigurationOnly_TheDocumentedFolderDoesNotLeakIn()
    {
        // The same tree, but compose mounts only nginx.conf: /etc/nginx/certs/ is the image's (or a mount from elsewhere), not nginx/certs/.
        using var r = new ServerRepo().Pem("nginx/certs/site.pem", ServerRepo.Leaf, ServerRepo.Intermediate)
            .File("nginx/nginx.conf", "events {}\nhttp {\n    server {\n        listen 443 ssl;\n        ssl_certificate /etc/nginx/certs/site.pem;\n    }\n}\n")
            .File("compose.yaml", "services:\n  proxy:\n    image: nginx:1.27\n    volumes:\n      - ./nginx/nginx.conf:/etc/nginx/nginx.conf:ro\n");

        var result = r.Lint();

        Expect.None(result, RuleIds.UnreadableInput);
        Expect.None(result, RuleIds.StaplingOff);
    }
}

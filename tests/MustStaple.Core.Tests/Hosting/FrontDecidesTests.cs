using MustStaple.Core.Tests.Kestrel;
using MustStaple.Core.Tests.Rules;
using MustStaple.Diagnostics;
using MustStaple.Rules;

namespace MustStaple.Core.Tests.Hosting;

/// <summary>
/// The server that faces the client decides (issue 19): a Kestrel endpoint that only a proxy reaches gets notes that
/// name the front, and the front is judged; without evidence of a front the verdicts stand.
/// </summary>
[TestClass]
public sealed class FrontDecidesTests
{
    private static WebProject App() =>
        new WebProject(rid: null).Pfx("certs/site.pfx", "pw", WebProject.Leaf, WebProject.Intermediate, WebProject.Root)
            .Pem("certs/chain.pem", WebProject.Leaf, WebProject.Intermediate, WebProject.Root).File("certs/k.key", "").Settings("{}")
            .File("Dockerfile", "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nCOPY certs/ /https/\n")
            .File("nginx/default.conf", """
                server {
                    listen 443 ssl;
                    server_name localhost;
                    ssl_certificate /etc/nginx/certs/chain.pem;
                    ssl_certificate_key /etc/nginx/certs/k.key;
                    location / { proxy_pass https://app:8443; }
                }
                """);

    private static string Compose(string appPorts, string proxyPorts = "    ports: [\"443:443\"]\n") =>
        "services:\n  proxy:\n    image: nginx:1.27\n" + proxyPorts
        + "    volumes:\n      - ./nginx/default.conf:/etc/nginx/conf.d/default.conf:ro\n      - ./certs:/etc/nginx/certs:ro\n"
        + "  app:\n    build: .\n" + appPorts
        + "    environment:\n      ASPNETCORE_HTTPS_PORTS: \"8443\"\n      Kestrel__Certificates__Default__Path: /https/site.pfx\n      Kestrel__Certificates__Default__Password: pw\n";

    [TestMethod]
    public void ComposeNginxInFrontOfKestrel_JudgesNginx_KestrelVerdictIsANoteNamingTheFront()
    {
        using var p = App().File("compose.yaml", Compose(appPorts: ""));

        var result = p.Lint();

        var nginx = Expect.Single(result, RuleIds.StaplingOff);
        Assert.AreEqual(p.Path(Path.Combine("nginx", "default.conf")), nginx.Location.Path);
        Assert.AreEqual(Severity.Error, nginx.Severity);
        var kestrel = Expect.Single(result, RuleIds.ChainIncomplete);
        Assert.AreEqual(Severity.Note, kestrel.Severity);
        StringAssert.Contains(kestrel.Message, "compose service 'proxy'");
        Expect.At(kestrel, p.Path("compose.yaml"), 12, 45, 12, 60);
    }

    [TestMethod]
    public void KestrelPublishesItsOwnPort_TheVerdictStands()
    {
        using var p = App().File("compose.yaml", Compose(appPorts: "    ports: [\"8443:8443\"]\n"));

        var kestrel = Expect.Single(p.Lint(), RuleIds.ChainIncomplete);

        Assert.AreEqual(Severity.Error, kestrel.Severity);
    }

    [TestMethod]
    public void ProxyDoesNotForwardToTheApp_TheVerdictStands()
    {
        using var p = App().File("compose.yaml", Compose(appPorts: ""));
        p.File("nginx/default.conf", "server {\n    listen 443 ssl;\n    ssl_certificate /etc/nginx/certs/chain.pem;\n    location / { proxy_pass http://other:8080; }\n}\n");

        Assert.AreEqual(Severity.Error, Expect.Single(p.Lint(), RuleIds.ChainIncomplete).Severity);
    }

    [TestMethod]
    public void KubernetesClusterIpBehindIngress_KestrelVerdictIsANoteNamingTheIngress()
    {
        using var p = new WebProject(rid: null).Pfx("certs/site.pfx", "pw", WebProject.Leaf, WebProject.Intermediate, WebProject.Root).Settings("{}")
            .File("k8s/app.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  template:
                    metadata:
                      labels: { app: web }
                    spec:
                      containers:
                        - name: web
                          image: mcr.microsoft.com/dotnet/aspnet:10.0
                          env:
                            - name: ASPNETCORE_HTTPS_PORTS
                              value: "8443"
                            - name: Kestrel__Certificates__Default__Path
                              value: certs/site.pfx
                            - name: Kestrel__Certificates__Default__Password
                              value: pw
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                spec:
                  selector: { app: web }
                  ports: [{ port: 8080, targetPort: 8443 }]
                """)
            .File("k8s/ingress.yaml", KubeRepo.Ingress("nginx"));

        var result = p.Lint();

        var kestrel = Expect.Single(result, RuleIds.ChainIncomplete);
        Assert.AreEqual(Severity.Note, kestrel.Severity, string.Join("\n", TestFolder.Lines(result, p.Folder.Root)));
        StringAssert.Contains(kestrel.Message, "Kubernetes Ingress 'web'");
    }
}

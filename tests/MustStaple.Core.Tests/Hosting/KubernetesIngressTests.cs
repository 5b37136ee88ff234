using MustStaple.Core.Tests.Rules;
using MustStaple.Core.Tests.Servers;
using MustStaple.Diagnostics;
using MustStaple.Rules;
using MustStaple.Testing;

namespace MustStaple.Core.Tests.Hosting;

/// <summary>A Kubernetes folder: a TLS Secret, an Ingress naming it, optionally ingress-nginx's controller ConfigMap.</summary>
internal static class KubeRepo
{
    public static string Secret(bool stringData, params TestCertificate[] chain)
    {
        var pem = TestCertificate.PemChain(chain);
        var body = stringData
            ? "stringData:\n  tls.crt: |\n" + string.Concat(pem.Split('\n').Where(l => l.Length > 0).Select(l => "    " + l + "\n"))
            : "data:\n  tls.crt: " + Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(pem)) + "\n";
        return "apiVersion: v1\nkind: Secret\nmetadata:\n  name: shop-tls\ntype: kubernetes.io/tls\n" + body;
    }

    public static string Ingress(string? ingressClass) => $$"""
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: web
        spec:
        {{(ingressClass is null ? "" : $"  ingressClassName: {ingressClass}\n")}}  tls:
            - hosts: [localhost]
              secretName: shop-tls
          rules:
            - http:
                paths:
                  - path: /
                    pathType: Prefix
                    backend:
                      service:
                        name: web
                        port: { number: 8080 }
        """;

    public static string ControllerConfig(string enableOcsp) =>
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ingress-nginx-controller\n  namespace: ingress-nginx\ndata:\n  enable-ocsp: \"" + enableOcsp + "\"\n";

    public static ServerRepo Repo(string? ingressClass = "nginx", bool stringData = false, string? enableOcsp = null)
    {
        var r = new ServerRepo().File("k8s/tls.yaml", Secret(stringData, ServerRepo.Leaf, ServerRepo.Intermediate))
            .File("k8s/ingress.yaml", Ingress(ingressClass));
        if (enableOcsp is not null) r.File("k8s/controller.yaml", ControllerConfig(enableOcsp));
        return r;
    }
}

[TestClass]
public sealed class IngressNginxOcspOffTests
{
    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void MustStapleSecret_NoControllerConfig_ReportsMst4009OnTheIngressLine(bool stringData)
    {
        using var r = KubeRepo.Repo(stringData: stringData);

        var result = r.Lint();

        var d = ServerRepo.Of(result, RuleIds.IngressNginxOcspOff).Single();
        r.AssertAt(d, "k8s/ingress.yaml", "shop-tls");
        Assert.AreEqual(Severity.Error, d.Severity);
        StringAssert.Contains(d.Message, "defaults to \"false\"");
        Assert.IsTrue(d.RelatedLocations.Any(l => l.Path == r.Path("k8s/tls.yaml") && l.Line == (stringData ? 7 : 7)), string.Join("\n", r.Lines(result)));
    }

    [TestMethod]
    public void ControllerConfigSetsFalse_ReportsMst4009NamingIt()
    {
        using var r = KubeRepo.Repo(enableOcsp: "false");

        var d = ServerRepo.Of(r.Lint(), RuleIds.IngressNginxOcspOff).Single();

        StringAssert.Contains(d.Message, "ingress-nginx-controller");
        Assert.IsTrue(d.RelatedLocations.Any(l => l.Path == r.Path("k8s/controller.yaml") && l.Line == 7));
    }

    [TestMethod]
    public void ControllerConfigEnablesOcsp_IsSilent()
    {
        using var r = KubeRepo.Repo(enableOcsp: "true");

        var result = r.Lint();

        Assert.IsEmpty(ServerRepo.Of(result, RuleIds.IngressNginxOcspOff));
        Assert.IsFalse(result.Diagnostics.Any(d => d.Severity >= Severity.Warning), string.Join("\n", r.Lines(result)));
    }

    [TestMethod]
    public void SecretWithoutMustStaple_IsSilent()
    {
        using var r = new ServerRepo().File("k8s/tls.yaml", KubeRepo.Secret(false, ServerRepo.Plain, ServerRepo.Intermediate))
            .File("k8s/ingress.yaml", KubeRepo.Ingress("nginx"));

        Assert.IsEmpty(r.Lint().Diagnostics);
    }

    [TestMethod]
    public void SecretCertificate_IsACertificateLikeAnyFile_Mst1001AtTheManifestLine()
    {
        var noOcsp = new CertificateBuilder("shop").MustStaple().IssuedBy(ServerRepo.Intermediate).Build();
        using var r = new ServerRepo().File("k8s/tls.yaml", KubeRepo.Secret(false, noOcsp, ServerRepo.Intermediate));

        var d = Expect.Single(r.Lint(), RuleIds.MustStapleWithoutOcspResponder);

        Assert.AreEqual((r.Path("k8s/tls.yaml"), 7), (d.Location.Path, d.Location.Line));
    }
}

[TestClass]
public sealed class IngressControllerStaplingUnknownTests
{
    [TestMethod]
    [DataRow("traefik", "class 'traefik'")]
    [DataRow(null, "default Ingress controller")]
    public void OtherOrUnknownController_ReportsANoteOnTheIngressLine(string? ingressClass, string named)
    {
        using var r = KubeRepo.Repo(ingressClass);

        var result = r.Lint();

        var d = ServerRepo.Of(result, RuleIds.IngressControllerStaplingUnknown).Single();
        r.AssertAt(d, "k8s/ingress.yaml", "shop-tls");
        Assert.AreEqual(Severity.Note, d.Severity);
        StringAssert.Contains(d.Message, named);
        Assert.IsEmpty(ServerRepo.Of(result, RuleIds.IngressNginxOcspOff));
    }

    [TestMethod]
    public void IngressNginx_IsNotANote()
    {
        using var r = KubeRepo.Repo("nginx");

        Assert.IsEmpty(ServerRepo.Of(r.Lint(), RuleIds.IngressControllerStaplingUnknown));
    }
}

using MustStaple.Diagnostics;
using MustStaple.Hosting;
using MustStaple.Localization;

namespace MustStaple.Rules;

/// <summary>An Ingress TLS entry whose Secret in the repository holds a must-staple leaf with an http OCSP URL.</summary>
internal sealed record IngressServed(KubeIngress Ingress, IngressTls Tls, Certificates.CertificateInfo Leaf)
{
    /// <summary>Every such entry of the context's manifests.</summary>
    public static IEnumerable<IngressServed> All(LintContext context) =>
        from ingress in context.Hosting.Kubernetes.Ingresses
        from tls in ingress.Tls
        let file = context.FileAt(LintContext.SecretKey(context.Hosting.Kubernetes.TlsSecrets.FirstOrDefault(s => s.Name == tls.SecretName)))
        where file?.Leaf is { IsMustStaple: true } leaf && leaf.HttpOcspUrls.Any()
        select new IngressServed(ingress, tls, file.Leaf!);

    /// <summary>ingress-nginx: <c>ingressClassName: nginx</c> or the legacy annotation.</summary>
    public bool IsIngressNginx => Ingress.IngressClass is { } c && c.Equals("nginx", StringComparison.OrdinalIgnoreCase);
}

/// <summary>MST4009: ingress-nginx serves a must-staple certificate without its controller's enable-ocsp.</summary>
internal sealed class IngressNginxOcspOff : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.IngressNginxOcspOff, nameof(IngressNginxOcspOff), RuleCategory.Servers, Severity.Error);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context)
    {
        var settings = context.Hosting.Kubernetes.Settings.Where(s => s.Key == "enable-ocsp").ToList();
        if (settings.Any(s => s.Value.Equals("true", StringComparison.OrdinalIgnoreCase))) yield break;
        foreach (var s in IngressServed.All(context).Where(s => s.IsIngressNginx))
        {
            var why = settings.LastOrDefault() is { } off
                ? Texts.Rules.Text("IngressStapling.SetBy", off.ConfigMap, off.Value, Path.GetFileName(off.Location.Path), off.Location.Line)
                : Texts.Rules.Text("IngressStapling.Default");
            yield return Diagnostic.Create(Descriptor, s.Tls.Location, [s.Leaf.Origin, .. settings.Select(x => x.Location)], s.Leaf.DisplayName, s.Tls.SecretName, s.Ingress.Name, why);
        }
    }
}

/// <summary>MST4010: an Ingress controller whose stapling the lint does not know serves a must-staple certificate.</summary>
internal sealed class IngressControllerStaplingUnknown : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.IngressControllerStaplingUnknown, nameof(IngressControllerStaplingUnknown), RuleCategory.Servers, Severity.Note);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        IngressServed.All(context).Where(s => !s.IsIngressNginx)
            .Select(s => Diagnostic.Create(Descriptor, s.Tls.Location, [s.Leaf.Origin], s.Leaf.DisplayName, s.Tls.SecretName, s.Ingress.Name,
                s.Ingress.IngressClass is { } c ? Texts.Rules.Text("IngressStapling.ControllerOfClass", c) : Texts.Rules.Text("IngressStapling.DefaultController")));
}

using MustStaple.Certificates;
using MustStaple.Kestrel;

namespace MustStaple.Rules;

/// <summary>Shared by MST3001, MST3002 and MST3006: the chain verdict of each served must-staple certificate on Linux.</summary>
internal static class ChainVerdicts
{
    public sealed record Finding(ServedMustStaple Item, ChainVerdict Verdict, string Cause, string Fix);

    /// <summary>Walks every served must-staple chain on Linux; <see cref="LintContext.ChainFindings"/> caches the result.</summary>
    public static IEnumerable<Finding> Evaluate(LintContext context)
    {
        var imageTrustByDeployment = new Dictionary<Deployment, List<CertificateInfo>>();
        foreach (var item in context.ServedMustStaple())
        {
            var d = item.Deployment;
            // An unknown platform is judged as Linux: Linux is the only platform that can staple, so a chain that fails
            // there fails everywhere (Windows and macOS never staple).
            if (d.Platform is not (TargetPlatform.Linux or TargetPlatform.Unknown)) continue;
            var source = ChainSource(item);
            if (!imageTrustByDeployment.TryGetValue(d, out var imageTrust))
                imageTrustByDeployment[d] = imageTrust = d.AddedTrustFiles.Select(context.FileAt).Where(f => f is not null).SelectMany(f => f!.Certificates).ToList();
            var verdict = ChainAnalyzer.Analyze(item.Leaf, source, imageTrust, d.HasPublicRoots, PublicRoots.Shipped);
            yield return new Finding(item, verdict, Cause(item, verdict, d), Fix(item, verdict));
        }
    }

    /// <summary>The extra certificates Kestrel passes to SslStreamCertificateContext.Create (docs/evidence/kestrel.md#a06).</summary>
    private static IReadOnlyList<CertificateInfo> ChainSource(ServedMustStaple item)
    {
        if (item.Served.ChainDroppedBySni is not null || item.File.IsPkcs12) return [];
        return item.File.Certificates;
    }

    private static string Cause(ServedMustStaple item, ChainVerdict v, Deployment d)
    {
        if (item.Served.ChainDroppedBySni is { } sni)
            return $"Sni entry '{sni.Host}' has no Certificate of its own, so Kestrel reuses the endpoint certificate but drops its chain";
        if (item.File.IsPkcs12)
            return "Kestrel ignores the certificates inside a PFX and passes no chain";
        if (item.File.Certificates.Count == 1)
            return "the PEM file holds only the leaf";
        var roots = d.HasPublicRoots ? "a public root in the image's CA bundle" : "in the image (it has no CA bundle)";
        return v.LastFound.IsCa
            ? $"the chain in the PEM file ends at '{v.LastFound.DisplayName}', whose issuer '{v.MissingIssuer}' is neither in the file nor {roots}"
            : $"the PEM file has no certificate for the leaf's issuer '{v.MissingIssuer}'";
    }

    // The fix for the chain at hand: what is missing decides what to append (a full chain that lacks only its private
    // root needs the root, not "the intermediate(s)").
    private static string Fix(ServedMustStaple item, ChainVerdict v) =>
        item.Served.ChainDroppedBySni is not null
            ? "Give the Sni entry its own Certificate (a PEM chain with KeyPath)"
            : item.File.IsPkcs12
                ? "Use a PEM Path holding leaf + intermediate(s) (+ the root if it is a private CA) with a KeyPath instead of the PFX"
                : v.LastFound.IsCa
                    ? $"Append the certificate of '{v.MissingIssuer}' (the root of your private CA, or the next intermediate) to the PEM Path file: Kestrel only has to find the root, it does not send it"
                    : item.File.Certificates.Count == 1
                        ? $"Append the intermediate '{v.MissingIssuer}' (and the root, if it is a private CA) to the PEM Path file after the leaf"
                        : $"Append the intermediate '{v.MissingIssuer}' (and the root, if it is a private CA) to the PEM Path file";
}

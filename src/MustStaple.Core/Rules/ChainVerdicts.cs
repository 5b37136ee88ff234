using MustStaple.Certificates;
using MustStaple.Kestrel;
using MustStaple.Localization;

namespace MustStaple.Rules;

/// <summary>Shared by MST3001, MST3002 and MST3006: the chain verdict of each served must-staple certificate on Linux.</summary>
internal static class ChainVerdicts
{
    public sealed record Finding(ServedMustStaple Item, ChainVerdict Verdict, LocalizedText Cause, LocalizedText Fix);

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

    private static LocalizedText Cause(ServedMustStaple item, ChainVerdict v, Deployment d)
    {
        if (item.Served.ChainDroppedBySni is { } sni)
            return Texts.Rules.Text("ChainVerdicts.Cause.Sni", sni.Host);
        if (item.File.IsPkcs12)
            return Texts.Rules.Text("ChainVerdicts.Cause.Pfx");
        if (item.File.Certificates.Count == 1)
            return Texts.Rules.Text("ChainVerdicts.Cause.LeafOnly");
        var roots = Texts.Rules.Text(d.HasPublicRoots ? "ChainVerdicts.Roots.Public" : "ChainVerdicts.Roots.None");
        return v.LastFound.IsCa
            ? Texts.Rules.Text("ChainVerdicts.Cause.EndsAt", v.LastFound.DisplayName, v.MissingIssuer, roots)
            : Texts.Rules.Text("ChainVerdicts.Cause.NoIssuer", v.MissingIssuer);
    }

    // The fix for the chain at hand: what is missing decides what to append (a full chain that lacks only its private
    // root needs the root, not "the intermediate(s)").
    private static LocalizedText Fix(ServedMustStaple item, ChainVerdict v) =>
        item.Served.ChainDroppedBySni is not null
            ? Texts.Rules.Text("ChainVerdicts.Fix.Sni")
            : item.File.IsPkcs12
                ? Texts.Rules.Text("ChainVerdicts.Fix.Pfx")
                : v.LastFound.IsCa
                    ? Texts.Rules.Text("ChainVerdicts.Fix.AppendIssuer", v.MissingIssuer)
                    : item.File.Certificates.Count == 1
                        ? Texts.Rules.Text("ChainVerdicts.Fix.AppendAfterLeaf", v.MissingIssuer)
                        : Texts.Rules.Text("ChainVerdicts.Fix.AppendIntermediate", v.MissingIssuer);
}

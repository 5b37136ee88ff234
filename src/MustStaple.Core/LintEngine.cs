using MustStaple.Certificates;
using MustStaple.Diagnostics;
using MustStaple.Discovery;
using MustStaple.Rules;

namespace MustStaple;

/// <summary>The one entry point both fronts call: discover, read, evaluate every rule, apply severities, sort.</summary>
public static class LintEngine
{
    /// <summary>Runs the lint. Never throws for file content; unreadable inputs become <c>MST0xxx</c> findings.</summary>
    public static LintResult Run(LintRequest request)
    {
        var assets = AssetDiscovery.Discover(request.Paths, request.Include, request.Exclude);
        var certificateAssets = assets.OfKind(AssetKind.Certificate).ToArray();
        var files = new CertificateFile[certificateAssets.Length];
        var passwords = request.PfxPasswords;
        Parallel.For(0, certificateAssets.Length, i => files[i] = CertificateLoader.Load(certificateAssets[i].Path, passwords));

        var context = new LintContext(request.Now, files, RetiredResponderList.Shipped);
        var policy = new SeverityPolicy(new Dictionary<string, Severity>(), request);
        var diagnostics = new List<Diagnostic>();
        foreach (var rule in RuleSet.All)
        {
            foreach (var d in rule.Evaluate(context))
            {
                var severity = policy.Apply(d);
                if (severity != Severity.None) diagnostics.Add(d.WithSeverity(severity));
            }
        }
        diagnostics.Sort(Diagnostic.Compare);
        var rules = RuleSet.All.Select(r => r.Rule).OrderBy(r => r.Id, StringComparer.Ordinal).ToArray();
        return new LintResult(diagnostics, rules, request.SourceRoot ?? assets.SourceRoot, assets.All.Count);
    }
}

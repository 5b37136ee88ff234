using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>MST3002: the chain completes only through an http caIssuers download at startup.</summary>
internal sealed class ChainNeedsDownload : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.ChainNeedsDownload, nameof(ChainNeedsDownload), RuleCategory.Stapling, Severity.Warning);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.ChainFindings
            .Where(f => f.Verdict.Outcome == Kestrel.ChainOutcome.NeedsDownload && f.Item.Deployment.Platform == Kestrel.TargetPlatform.Linux)
            .Select(f => Diagnostic.Create(Descriptor, f.Item.Served.Cause.ValueLocation, [f.Item.Leaf.Origin],
                f.Item.Leaf.DisplayName, f.Item.Served.Via, f.Verdict.LastFound.HttpCaIssuerUrls.First(), f.Cause, f.Fix));
}

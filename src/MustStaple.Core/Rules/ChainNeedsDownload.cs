using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>MST3002: the chain completes only through an http caIssuers download at startup.</summary>
internal sealed class ChainNeedsDownload : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.ChainNeedsDownload,
        name: nameof(ChainNeedsDownload),
        title: "Must-staple chain completes only by downloading at startup",
        messageFormat: "Must-staple certificate '{0}' served by {1} is stapled on Linux only if Kestrel can download the missing chain at startup from {2}: {3}. Without egress to the CA, Firefox and GnuTLS refuse every connection. {4}",
        RuleCategory.Stapling, Severity.Warning,
        description: "The chain is incomplete offline but the last certificate found has an http caIssuers URL; .NET downloads it when the context is created, so stapling depends on the server's network egress at startup.");

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.ChainFindings
            .Where(f => f.Verdict.Outcome == Kestrel.ChainOutcome.NeedsDownload && f.Item.Deployment.Platform == Kestrel.TargetPlatform.Linux)
            .Select(f => Diagnostic.Create(Descriptor, f.Item.Served.Cause.ValueLocation, [f.Item.Leaf.Origin],
                f.Item.Leaf.DisplayName, f.Item.Served.Via, f.Verdict.LastFound.HttpCaIssuerUrls.First(), f.Cause, f.Fix));
}

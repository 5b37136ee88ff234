using MustStaple.Diagnostics;
using MustStaple.Localization;

namespace MustStaple.Rules;

/// <summary>MST3001: Kestrel cannot complete the must-staple certificate's chain, so it never staples.</summary>
internal sealed class ChainIncomplete : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.ChainIncomplete, nameof(ChainIncomplete), RuleCategory.Stapling, Severity.Error);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.ChainFindings
            .Where(f => f.Verdict.Outcome == Kestrel.ChainOutcome.Incomplete)
            .Select(f => Diagnostic.Create(Descriptor, f.Item.Served.Cause.ValueLocation, [f.Item.Leaf.Origin],
                f.Item.Leaf.DisplayName, f.Item.Served.Via, Scope(f.Item.Deployment), f.Cause, f.Fix));

    // docs/evidence/kestrel.md#unknown: a chain that fails on Linux fails everywhere, as Windows and macOS never staple.
    private static LocalizedText Scope(Kestrel.Deployment d) =>
        Texts.Rules.Text(d.Platform == Kestrel.TargetPlatform.Linux ? "ChainIncomplete.Scope.Linux" : "ChainIncomplete.Scope.Unknown");
}

using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>MST0002: a PFX that a deployment serves could not be opened.</summary>
internal sealed class PfxCannotBeOpened : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.PfxCannotBeOpened, nameof(PfxCannotBeOpened), RuleCategory.Input, Severity.Warning);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.Problems(RuleIds.PfxCannotBeOpened).Where(p => IsServed(context, p.Location.Path))
            .Select(p => Diagnostic.Create(Descriptor, p.Location, p.Text, FrontText.PfxPassword(context.Front)));

    /// <summary>True when an endpoint (or an Sni entry) of some deployment serves the file at <paramref name="path"/>.</summary>
    internal static bool IsServed(LintContext context, string path) =>
        context.KestrelServedPaths.Contains(path);
}

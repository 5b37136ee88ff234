using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>MST0002: a PFX that a deployment serves could not be opened.</summary>
internal sealed class PfxCannotBeOpened : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.PfxCannotBeOpened,
        name: nameof(PfxCannotBeOpened),
        title: "A PFX file could not be opened",
        messageFormat: "{0} {1}.",
        RuleCategory.Input, Severity.Warning,
        description: "A PKCS#12 (PFX) file that a Kestrel endpoint serves could not be opened with the empty password, the Password of the Kestrel configuration that references it, the password named by --pfx-password-env, or a string literal of the project's C# files that name a PFX. Whether it is must-staple is unknown.");

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.Problems(RuleIds.PfxCannotBeOpened).Where(p => IsServed(context, p.Location.Path))
            .Select(p => Diagnostic.Create(Descriptor, p.Location, p.Message, FrontText.PfxPassword(context.Front)));

    /// <summary>True when an endpoint (or an Sni entry) of some deployment serves the file at <paramref name="path"/>.</summary>
    internal static bool IsServed(LintContext context, string path) =>
        context.Deployments.Any(d => d.Served.Any(s => string.Equals(s.Settings.ResolvedPath, path, StringComparison.Ordinal)));
}

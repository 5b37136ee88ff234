using MustStaple.Diagnostics;
using MustStaple.Kestrel;
using MustStaple.Localization;

namespace MustStaple.Rules;

/// <summary>MST3003: macOS never staples.</summary>
internal sealed class MacOSNeverStaples : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.MacOSNeverStaples, nameof(MacOSNeverStaples), RuleCategory.Stapling, Severity.Error);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.ServedMustStaple().Where(i => i.Deployment.Platform == TargetPlatform.MacOS)
            .Select(i => Diagnostic.Create(Descriptor, i.Served.Cause.ValueLocation, [i.Leaf.Origin], i.Leaf.DisplayName, i.Served.Via, i.Deployment.PlatformReason));
}

/// <summary>MST3004: Windows does not staple.</summary>
internal sealed class WindowsDoesNotStaple : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.WindowsDoesNotStaple, nameof(WindowsDoesNotStaple), RuleCategory.Stapling, Severity.Warning);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.ServedMustStaple().Where(i => i.Deployment.Platform == TargetPlatform.Windows)
            .Select(i => Diagnostic.Create(Descriptor, i.Served.Cause.ValueLocation, [i.Leaf.Origin], i.Leaf.DisplayName, i.Served.Via, i.Deployment.PlatformReason));
}

/// <summary>MST3005: the endpoint enables HTTP/3, whose QUIC handshakes never carry a staple.</summary>
internal sealed class Http3NeverStaples : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.Http3NeverStaples, nameof(Http3NeverStaples), RuleCategory.Stapling, Severity.Warning);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.ServedMustStaple().Where(i => i.Served.Endpoint.EnablesHttp3)
            .GroupBy(i => (i.Served.Endpoint, i.Leaf.Sha256)).Select(g => g.First())
            .Select(i => Diagnostic.Create(Descriptor, i.Served.Endpoint.Protocols!.ValueLocation, [i.Leaf.Origin],
                i.Served.Endpoint.Name, i.Served.Endpoint.Protocols!.Value, i.Leaf.DisplayName));
}

/// <summary>MST3006: the target platform is unknown and the outcome really differs by platform.</summary>
internal sealed class TargetPlatformUnknown : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.TargetPlatformUnknown, nameof(TargetPlatformUnknown), RuleCategory.Stapling, Severity.Note);

    public DiagnosticDescriptor Rule => Descriptor;

    // A chain that fails on Linux fails everywhere: MST3001 reports it, so it is not "unknown".
    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.ChainFindings.Where(f => f.Item.Deployment.Platform == TargetPlatform.Unknown && f.Verdict.Outcome != ChainOutcome.Incomplete)
            .GroupBy(f => f.Item.Deployment).Select(g => g.First())
            .Select(f => Diagnostic.Create(Descriptor, f.Item.Served.Cause.ValueLocation, [f.Item.Leaf.Origin], f.Item.Leaf.DisplayName, f.Item.Served.Via,
                f.Item.Deployment.PlatformReason,
                Texts.Rules.Text(f.Verdict.Outcome == ChainOutcome.Complete ? "TargetPlatformUnknown.Linux.Complete" : "TargetPlatformUnknown.Linux.NeedsDownload"),
                FrontText.TargetOs(context.Front)));
}

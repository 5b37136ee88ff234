using MustStaple.Diagnostics;
using MustStaple.Kestrel;

namespace MustStaple.Rules;

/// <summary>MST3003: macOS never staples.</summary>
internal sealed class MacOSNeverStaples : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.MacOSNeverStaples,
        name: nameof(MacOSNeverStaples),
        title: "Kestrel never staples on macOS",
        messageFormat: "Must-staple certificate '{0}' served by {1} will never be stapled: the target is macOS ({2}), where .NET has no OCSP stapling code. Serve it from Linux, or use a certificate without must-staple",
        RuleCategory.Stapling, Severity.Error,
        description: "The macOS build of System.Net.Security has no server-side OCSP code; a must-staple certificate served there is refused by Firefox and GnuTLS.");

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.ServedMustStaple().Where(i => i.Deployment.Platform == TargetPlatform.MacOS)
            .Select(i => Diagnostic.Create(Descriptor, i.Served.Cause.ValueLocation, [i.Leaf.Origin], i.Leaf.DisplayName, i.Served.Via, i.Deployment.PlatformReason));
}

/// <summary>MST3004: Windows does not staple.</summary>
internal sealed class WindowsDoesNotStaple : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.WindowsDoesNotStaple,
        name: nameof(WindowsDoesNotStaple),
        title: "Kestrel does not staple on Windows",
        messageFormat: "Must-staple certificate '{0}' served by {1} is not expected to be stapled: the target is Windows ({2}), where .NET has no server-side stapling and SChannel has not been seen to staple for Kestrel. Serve it from Linux, or use a certificate without must-staple",
        RuleCategory.Stapling, Severity.Warning,
        description: "The Windows build of System.Net.Security never fetches or staples OCSP; any staple would have to come from SChannel, which runtime maintainers report it does not do in the server role.");

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.ServedMustStaple().Where(i => i.Deployment.Platform == TargetPlatform.Windows)
            .Select(i => Diagnostic.Create(Descriptor, i.Served.Cause.ValueLocation, [i.Leaf.Origin], i.Leaf.DisplayName, i.Served.Via, i.Deployment.PlatformReason));
}

/// <summary>MST3005: the endpoint enables HTTP/3, whose QUIC handshakes never carry a staple.</summary>
internal sealed class Http3NeverStaples : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.Http3NeverStaples,
        name: nameof(Http3NeverStaples),
        title: "HTTP/3 connections never carry a staple",
        messageFormat: "Endpoint '{0}' enables HTTP/3 ({1}) and serves must-staple certificate '{2}': QUIC handshakes never carry an OCSP staple, so Firefox refuses HTTP/3 connections. Use Protocols 'Http1AndHttp2', or a certificate without must-staple",
        RuleCategory.Stapling, Severity.Warning,
        description: "Kestrel hands MsQuic only the certificate (no OCSP data), so HTTP/3 handshakes have no staple; HTTP/1.1 and HTTP/2 on the same endpoint may still staple.");

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
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.TargetPlatformUnknown,
        name: nameof(TargetPlatformUnknown),
        title: "Target platform unknown",
        messageFormat: "Must-staple certificate '{0}' is served by {1}, but the target platform is unknown ({2}): {3}, never on Windows or macOS, so the platform-dependent checks (MST3002-MST3004) were not applied. {4}",
        RuleCategory.Stapling, Severity.Note,
        description: "Whether Kestrel staples depends on the platform; when the outcome differs (e.g. a PEM full chain staples on Linux, not on Windows), only the verdicts that hold on every platform are reported.");

    public DiagnosticDescriptor Rule => Descriptor;

    // A chain that fails on Linux fails everywhere: MST3001 reports it, so it is not "unknown".
    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.ChainFindings.Where(f => f.Item.Deployment.Platform == TargetPlatform.Unknown && f.Verdict.Outcome != ChainOutcome.Incomplete)
            .GroupBy(f => f.Item.Deployment).Select(g => g.First())
            .Select(f => Diagnostic.Create(Descriptor, f.Item.Served.Cause.ValueLocation, [f.Item.Leaf.Origin], f.Item.Leaf.DisplayName, f.Item.Served.Via,
                f.Item.Deployment.PlatformReason,
                f.Verdict.Outcome == ChainOutcome.Complete ? "on Linux it can be stapled" : "on Linux it is stapled only if the missing chain can be downloaded at startup",
                FrontText.TargetOs(context.Front)));
}

using MustStaple.Diagnostics;
using MustStaple.Servers;

namespace MustStaple.Rules;

/// <summary>MST4007: Apache's defaults staple a fake tryLater response when the OCSP responder fails.</summary>
internal sealed class ApacheFakeTryLater : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.ApacheFakeTryLater,
        name: nameof(ApacheFakeTryLater),
        title: "Apache staples a fake tryLater response when the OCSP responder fails",
        messageFormat: "{0} staples must-staple certificate '{1}' with Apache's defaults (SSLStaplingReturnResponderErrors on, SSLStaplingFakeTryLater on): when the responder is down or errs, Apache staples a made-up 'tryLater' response and keeps it cached, which must-staple clients treat as no staple. Monitor the responder; 'SSLStaplingFakeTryLater off' makes the failure visible (but retries inside every handshake)",
        RuleCategory.Servers, Severity.Note,
        description: "mod_ssl fetches OCSP inside the first handshake. If the responder fails, the default settings make Apache staple an OCSP response with status tryLater, cached for a while even after the responder recovers. Must-staple clients refuse such connections just as with no staple.");

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.ServerServedMustStaple()
            .Where(s => s.Endpoint.Server == ServerKind.Apache && s.Endpoint.Setting("SSLUseStapling") is { IsOn: true }
                && s.Endpoint.Setting("SSLStaplingFakeTryLater")?.IsOn != false && s.Endpoint.Setting("SSLStaplingReturnResponderErrors")?.IsOn != false
                && (s.Deployment.IsPartial || s.Deployment.Global("SSLStaplingCache") is not null)) // without a cache Apache does not start: MST4003
            .Select(s => Diagnostic.Create(Descriptor, s.Endpoint.Setting("SSLUseStapling")!.Location, [s.Leaf.Origin],
                s.Endpoint.Name, s.Leaf.DisplayName));
}

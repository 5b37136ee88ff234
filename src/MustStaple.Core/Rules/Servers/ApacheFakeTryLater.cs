using MustStaple.Diagnostics;
using MustStaple.Servers;

namespace MustStaple.Rules;

/// <summary>MST4007: Apache's defaults staple a fake tryLater response when the OCSP responder fails.</summary>
internal sealed class ApacheFakeTryLater : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.ApacheFakeTryLater, nameof(ApacheFakeTryLater), RuleCategory.Servers, Severity.Note);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.ServerServedMustStaple()
            .Where(s => s.Endpoint.Server == ServerKind.Apache && s.Endpoint.Setting("SSLUseStapling") is { IsOn: true }
                && s.Endpoint.Setting("SSLStaplingFakeTryLater")?.IsOn != false && s.Endpoint.Setting("SSLStaplingReturnResponderErrors")?.IsOn != false
                && (s.Deployment.IsPartial || s.Deployment.Global("SSLStaplingCache") is not null)) // without a cache Apache does not start: MST4003
            .Select(s => Diagnostic.Create(Descriptor, s.Endpoint.Setting("SSLUseStapling")!.Location, [s.Leaf.Origin],
                s.Endpoint.Label, s.Leaf.DisplayName));
}

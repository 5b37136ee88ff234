using MustStaple.Diagnostics;
using MustStaple.Localization;

namespace MustStaple.Rules;

/// <summary>MST6005: an endpoint could not be probed (no connection, or a handshake failed), one line each.</summary>
internal sealed class ProbeFailed : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.ProbeFailed, nameof(ProbeFailed), RuleCategory.Probe, Severity.Error);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context)
    {
        foreach (var endpoint in context.Probes)
        {
            var failed = endpoint.Handshakes.Where(h => h.Failure is not null).ToList();
            if (failed.Count == 0) continue;
            var which = failed.Count == endpoint.Handshakes.Count ? Texts.Rules.Text("Probe.NoneCompleted")
                : Texts.Rules.Text("Probe.SomeFailed", ProbeVerdicts.Numbers(failed), endpoint.Handshakes.Count);
            yield return Diagnostic.Create(Descriptor, endpoint.Location, endpoint.Target.Display, which, failed[0].Failure);
        }
    }
}

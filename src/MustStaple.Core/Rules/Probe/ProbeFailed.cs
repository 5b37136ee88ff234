using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>MST6005: an endpoint could not be probed (no connection, or a handshake failed), one line each.</summary>
internal sealed class ProbeFailed : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.ProbeFailed,
        name: nameof(ProbeFailed),
        title: "Endpoint could not be probed",
        messageFormat: "Could not probe {0} ({1}): {2}",
        RuleCategory.Probe, Severity.Error,
        description: "The probe could not connect to the endpoint, or a TLS handshake with it failed or timed out, so the endpoint's stapling could not be judged on that handshake. When no endpoint at all could be probed the command exits with 2.");

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context)
    {
        foreach (var endpoint in context.Probes)
        {
            var failed = endpoint.Handshakes.Where(h => h.Failure is not null).ToList();
            if (failed.Count == 0) continue;
            var which = failed.Count == endpoint.Handshakes.Count ? "no handshake completed"
                : $"{ProbeVerdicts.Numbers(failed)} of {endpoint.Handshakes.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)} failed";
            yield return Diagnostic.Create(Descriptor, endpoint.Location, endpoint.Target.Display, which, failed[0].Failure);
        }
    }
}

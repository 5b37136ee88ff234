using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>MST6003: stapled on some handshakes only, typically from the second one (nginx's per-worker cache).</summary>
internal sealed class ProbeStapleLate : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.ProbeStapleLate, nameof(ProbeStapleLate), RuleCategory.Probe, Severity.Warning);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context)
    {
        foreach (var (endpoint, leaf, completed) in ProbeVerdicts.MustStaple(context))
        {
            var stapled = completed.Where(h => h.Staple is not null).ToList();
            var unstapled = completed.Where(h => h.Staple is null).ToList();
            if (stapled.Count == 0 || unstapled.Count == 0) continue; // MST6001, or stapled every time
            yield return Diagnostic.Create(Descriptor, endpoint.Location, endpoint.Target.Display, leaf.DisplayName,
                ProbeVerdicts.Numbers(stapled), ProbeVerdicts.Numbers(unstapled), ProbeVerdicts.Versions(completed));
        }
    }
}

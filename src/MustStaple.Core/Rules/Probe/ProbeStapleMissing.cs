using MustStaple.Diagnostics;
using MustStaple.Localization;

namespace MustStaple.Rules;

/// <summary>MST6001: the live server served its must-staple certificate without a staple on every handshake.</summary>
internal sealed class ProbeStapleMissing : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.ProbeStapleMissing, nameof(ProbeStapleMissing), RuleCategory.Probe, Severity.Error);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context)
    {
        foreach (var (endpoint, leaf, completed) in ProbeVerdicts.MustStaple(context))
        {
            if (completed.Any(h => h.Staple is not null)) continue;
            var all = completed.Count == 1 ? Texts.Rules.Text("Probe.OnlyHandshake") : Texts.Rules.Text("Probe.AllHandshakes", completed.Count);
            yield return Diagnostic.Create(Descriptor, endpoint.Location, endpoint.Target.Display, leaf.DisplayName, all,
                ProbeVerdicts.Versions(completed), leaf.OcspUrls.Count > 0 ? LocalizedText.Join(leaf.OcspUrls) : Texts.Rules.Text("Probe.NoOcspUrl"));
        }
    }
}

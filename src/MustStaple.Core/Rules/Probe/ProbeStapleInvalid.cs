using MustStaple.Diagnostics;
using MustStaple.Localization;

namespace MustStaple.Rules;

/// <summary>MST6002: the live server stapled a response that a must-staple client rejects.</summary>
internal sealed class ProbeStapleInvalid : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.ProbeStapleInvalid, nameof(ProbeStapleInvalid), RuleCategory.Probe, Severity.Error);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context)
    {
        foreach (var (endpoint, leaf, completed) in ProbeVerdicts.MustStaple(context))
        {
            var bad = endpoint.Handshakes
                .Select((h, i) => (Handshake: h, Problem: endpoint.Staples[i] is { } facts ? StapleFileInvalid.Problem(facts, context.Now) : null))
                .Where(x => x.Problem is not null).ToList();
            if (bad.Count == 0) continue;
            var first = bad[0];
            yield return Diagnostic.Create(Descriptor, endpoint.Location, endpoint.Target.Display, leaf.DisplayName, first.Problem,
                ProbeVerdicts.Numbers(bad.Select(b => b.Handshake)), completed.Count == 1 ? Texts.Rules.Text("Probe.OnlyHandshake") : Texts.Rules.Text("Probe.HandshakeCount", completed.Count),
                ProbeVerdicts.Versions(bad.Select(b => b.Handshake)));
        }
    }
}

using MustStaple.Localization;
using System.Globalization;
using MustStaple.Certificates;
using MustStaple.Probe;

namespace MustStaple.Rules;

/// <summary>What the MST6xxx rules share: the endpoints that served a must-staple leaf, and how to name handshakes.</summary>
internal static class ProbeVerdicts
{
    /// <summary>Probed endpoints whose served leaf is must-staple, with their completed handshakes (at least one).</summary>
    public static IEnumerable<(ProbedEndpoint Endpoint, CertificateInfo Leaf, IReadOnlyList<HandshakeObservation> Completed)> MustStaple(LintContext context) =>
        from e in context.Probes
        where e.Leaf is { IsMustStaple: true, IsCa: false }
        let completed = e.Completed.ToList()
        where completed.Count > 0
        select (e, e.Leaf!, (IReadOnlyList<HandshakeObservation>)completed);

    /// <summary>"handshakes 1, 2 and 3" for the given numbers.</summary>
    public static LocalizedText Numbers(IEnumerable<HandshakeObservation> handshakes)
    {
        var n = handshakes.Select(h => h.Number.ToString(CultureInfo.InvariantCulture)).ToList();
        return Texts.Rules.Text(n.Count == 1 ? "Probe.Handshake" : "Probe.Handshakes", And(n));
    }

    /// <summary>"TLSv1.3", or "TLSv1.2 and TLSv1.3" when the handshakes differed.</summary>
    public static LocalizedText Versions(IEnumerable<HandshakeObservation> handshakes) =>
        And(handshakes.Select(h => h.Version ?? "TLS").Distinct().OrderBy(v => v, StringComparer.Ordinal).ToList());

    // "a", "a and b", "a, b and c" (ja: "a、b、c").
    private static LocalizedText And(List<string> items) => items.Count <= 1
        ? LocalizedText.Plain(string.Concat(items))
        : Texts.Rules.Text("List.And", LocalizedText.Join(items.Take(items.Count - 1)), items[items.Count - 1]);
}

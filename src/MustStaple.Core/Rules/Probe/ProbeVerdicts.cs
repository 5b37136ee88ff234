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
    public static string Numbers(IEnumerable<HandshakeObservation> handshakes)
    {
        var n = handshakes.Select(h => h.Number.ToString(CultureInfo.InvariantCulture)).ToList();
        return (n.Count == 1 ? "handshake " : "handshakes ") + (n.Count <= 1 ? string.Concat(n) : string.Join(", ", n.Take(n.Count - 1)) + " and " + n[n.Count - 1]);
    }

    /// <summary>"TLSv1.3", or "TLSv1.2 and TLSv1.3" when the handshakes differed.</summary>
    public static string Versions(IEnumerable<HandshakeObservation> handshakes) =>
        string.Join(" and ", handshakes.Select(h => h.Version ?? "TLS").Distinct().OrderBy(v => v, StringComparer.Ordinal));
}

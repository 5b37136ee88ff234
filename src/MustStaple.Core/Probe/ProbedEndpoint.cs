using MustStaple.Certificates;
using MustStaple.Diagnostics;
using MustStaple.Servers;

namespace MustStaple.Probe;

/// <summary>
/// One endpoint as the probe observed it: every handshake, the served chain as certificate facts located at the
/// endpoint's URL (so the MST1xxx rules judge it like a file), and what each staple says about the served leaf.
/// </summary>
public sealed class ProbedEndpoint
{
    /// <summary>The endpoint.</summary>
    public required ProbeTarget Target { get; init; }

    /// <summary>Every handshake, in order.</summary>
    public required IReadOnlyList<HandshakeObservation> Handshakes { get; init; }

    /// <summary>The chain of the first completed handshake, located at <see cref="ProbeTarget.Url"/>; null when none completed.</summary>
    public CertificateFile? Chain { get; init; }

    /// <summary>For each handshake (same order): what its staple says, or null when it carried none or failed.</summary>
    public required IReadOnlyList<StapleFacts?> Staples { get; init; }

    /// <summary>A staple whose nextUpdate is closer than this is reported.</summary>
    public TimeSpan MinStapleValidity { get; init; }

    /// <summary>Where findings about the endpoint point: its URL.</summary>
    public SourceLocation Location => SourceLocation.StartOf(Target.Url);

    /// <summary>The served leaf, when a handshake completed and it could be read.</summary>
    public CertificateInfo? Leaf => Chain?.Certificates.FirstOrDefault(c => c.IndexInFile == 0);

    /// <summary>The handshakes that completed.</summary>
    public IEnumerable<HandshakeObservation> Completed => Handshakes.Where(h => h.Failure is null);
}

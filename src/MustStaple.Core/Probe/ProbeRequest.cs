namespace MustStaple.Probe;

/// <summary>Everything a probe run depends on. The CLI builds it from flags; Core reads nothing else.</summary>
public sealed class ProbeRequest
{
    /// <summary>The endpoints to probe.</summary>
    public required IReadOnlyList<ProbeTarget> Targets { get; init; }

    /// <summary>The instant staples and certificates are judged at (<c>--now</c>; the clock by default).</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>Handshakes per endpoint, each on a new connection (<c>--handshakes</c>, default 3).</summary>
    public int Handshakes { get; init; } = 3;

    /// <summary>The pause after a handshake without a staple, before the next: a server fetching on demand gets its chance.</summary>
    public TimeSpan DelayAfterUnstapled { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The most time one handshake, connection included, may take (<c>--timeout</c>).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Extra certificates (PEM or DER file contents) that may issue the leaf or sign its staple (<c>--trust</c>).</summary>
    public IReadOnlyList<byte[]> TrustFiles { get; init; } = [];

    /// <summary>A staple whose nextUpdate is closer than this is reported (MST6004).</summary>
    public TimeSpan MinStapleValidity { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The TLS versions offered (default both, TLS 1.3 preferred).</summary>
    public ProbeTlsVersions Versions { get; init; } = ProbeTlsVersions.Both;

    /// <summary>How many endpoints are probed at once.</summary>
    public int MaxParallel { get; init; } = 16;

    /// <summary>IDs whose findings are dropped.</summary>
    public IReadOnlyCollection<string> NoWarn { get; init; } = [];

    /// <summary>IDs whose warnings become errors.</summary>
    public IReadOnlyCollection<string> WarningsAsErrors { get; init; } = [];

    /// <summary>Every warning becomes an error.</summary>
    public bool TreatWarningsAsErrors { get; init; }

    /// <summary>The folder SARIF's <c>%SRCROOT%</c> names (findings themselves are located at URLs).</summary>
    public string? SourceRoot { get; init; }
}

namespace MustStaple.Certificates;

/// <summary>The TLS Feature extension (RFC 7633) as found in a certificate or request.</summary>
public sealed class TlsFeature
{
    /// <summary>OID of the extension, <c>id-pe-tlsfeature</c>.</summary>
    public const string Oid = "1.3.6.1.5.5.7.1.24";

    /// <summary>TLS extension number of <c>status_request</c> (OCSP stapling, RFC 6066).</summary>
    public const int StatusRequest = 5;

    /// <summary>TLS extension number of <c>status_request_v2</c> (RFC 6961).</summary>
    public const int StatusRequestV2 = 17;

    /// <summary>Creates a parsed extension.</summary>
    public TlsFeature(IReadOnlyList<long> features, bool critical, string? problem)
    {
        Features = features;
        Critical = critical;
        Problem = problem;
    }

    /// <summary>The feature numbers listed, in order.</summary>
    public IReadOnlyList<long> Features { get; }

    /// <summary>Whether the extension is marked critical.</summary>
    public bool Critical { get; }

    /// <summary>Why the value is malformed or empty; null when it is well formed and not empty.</summary>
    public string? Problem { get; }

    /// <summary>Lists <c>status_request</c>: the certificate is must-staple.</summary>
    public bool RequiresStatusRequest => Features.Contains(StatusRequest);

    /// <summary>Lists <c>status_request_v2</c>.</summary>
    public bool RequiresStatusRequestV2 => Features.Contains(StatusRequestV2);
}

using MustStaple.Diagnostics;

namespace MustStaple.Certificates;

/// <summary>The facts the rules need about one X.509 certificate, with where it was found.</summary>
public sealed class CertificateInfo
{
    /// <summary>Where the certificate is: the BEGIN line of its PEM block, or the start of a binary file.</summary>
    public required SourceLocation Origin { get; init; }

    /// <summary>How it was stored.</summary>
    public required CertificateFormat Format { get; init; }

    /// <summary>Position within its file (0-based).</summary>
    public required int IndexInFile { get; init; }

    /// <summary>Subject distinguished name (RFC 4514 order as BouncyCastle prints it).</summary>
    public required string Subject { get; init; }

    /// <summary>Issuer distinguished name.</summary>
    public required string Issuer { get; init; }

    /// <summary>Subject DN in DER, for exact issuer matching.</summary>
    public required string SubjectKey { get; init; }

    /// <summary>Issuer DN in DER, for exact issuer matching.</summary>
    public required string IssuerKey { get; init; }

    /// <summary>Hex serial number.</summary>
    public required string SerialNumber { get; init; }

    /// <summary>Hex SHA-256 of the DER encoding.</summary>
    public required string Sha256 { get; init; }

    /// <summary>Subject key identifier (hex), if present.</summary>
    public string? SubjectKeyId { get; init; }

    /// <summary>Authority key identifier (hex), if present.</summary>
    public string? AuthorityKeyId { get; init; }

    /// <summary>Basic constraints cA = true.</summary>
    public required bool IsCa { get; init; }

    /// <summary>Subject equals issuer and the signature verifies with the certificate's own key.</summary>
    public required bool IsSelfSigned { get; init; }

    /// <summary>Start of validity.</summary>
    public required DateTimeOffset NotBefore { get; init; }

    /// <summary>End of validity.</summary>
    public required DateTimeOffset NotAfter { get; init; }

    /// <summary>The TLS Feature extension, if present.</summary>
    public TlsFeature? TlsFeature { get; init; }

    /// <summary>AIA OCSP URIs, in order.</summary>
    public required IReadOnlyList<string> OcspUrls { get; init; }

    /// <summary>AIA caIssuers URIs, in order.</summary>
    public required IReadOnlyList<string> CaIssuerUrls { get; init; }

    /// <summary>The PKCS#12 entry holds the private key (Kestrel serves this one).</summary>
    public bool HasPrivateKey { get; init; }

    /// <summary>The certificate is must-staple: its TLS Feature lists <c>status_request</c>.</summary>
    public bool IsMustStaple => TlsFeature?.RequiresStatusRequest == true;

    /// <summary>OCSP URIs with the <c>http</c> scheme, the only ones .NET fetches.</summary>
    public IEnumerable<string> HttpOcspUrls => OcspUrls.Where(UrlScheme.IsHttp);

    /// <summary>caIssuers URIs with the <c>http</c> scheme, the only ones .NET downloads.</summary>
    public IEnumerable<string> HttpCaIssuerUrls => CaIssuerUrls.Where(UrlScheme.IsHttp);

    /// <summary>Short name for messages: the CN if there is one, else the whole subject.</summary>
    public string DisplayName => CommonName(Subject) ?? Subject;

    private static string? CommonName(string dn)
    {
        foreach (var part in dn.Split(','))
        {
            var p = part.Trim();
            if (p.StartsWith("CN=", StringComparison.OrdinalIgnoreCase)) return p.Substring(3);
        }
        return null;
    }
}

/// <summary>URL scheme checks as .NET's OCSP and AIA code does them.</summary>
public static class UrlScheme
{
    /// <summary>True when the URL parses as absolute and its scheme is exactly http.</summary>
    public static bool IsHttp(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp;
}

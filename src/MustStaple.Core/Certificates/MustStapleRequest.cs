using MustStaple.Diagnostics;

namespace MustStaple.Certificates;

/// <summary>A certificate signing request, or an OpenSSL config section, that asks for must-staple.</summary>
public sealed class MustStapleRequest
{
    /// <summary>Where: the CSR's BEGIN line or the config line.</summary>
    public required SourceLocation Origin { get; init; }

    /// <summary>What: "certificate request 'CN=…'" or "OpenSSL config section [v3_req]".</summary>
    public required Localization.LocalizedText Description { get; init; }
}

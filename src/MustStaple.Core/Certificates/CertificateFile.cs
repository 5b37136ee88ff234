using MustStaple.Diagnostics;

namespace MustStaple.Certificates;

/// <summary>A problem met while reading a file; becomes an <c>MST0xxx</c> diagnostic.</summary>
public sealed record LoadProblem(string RuleId, SourceLocation Location, string Message)
{
    private readonly Localization.LocalizedText? _text;

    /// <summary>A problem worded in every language (<see cref="Message"/> is its English).</summary>
    public LoadProblem(string ruleId, SourceLocation location, Localization.LocalizedText text) : this(ruleId, location, text.English) => _text = text;

    /// <summary>The explanation in any language; a problem created from a string reads the same in every language.</summary>
    public Localization.LocalizedText Text => _text ?? Localization.LocalizedText.Plain(Message);
}

/// <summary>Everything read from one certificate-bearing file.</summary>
public sealed class CertificateFile
{
    /// <summary>Absolute path.</summary>
    public required string Path { get; init; }

    /// <summary>Certificates in file order.</summary>
    public required IReadOnlyList<CertificateInfo> Certificates { get; init; }

    /// <summary>Requests (CSRs, config sections) asking for must-staple.</summary>
    public required IReadOnlyList<MustStapleRequest> Requests { get; init; }

    /// <summary>What could not be read.</summary>
    public required IReadOnlyList<LoadProblem> Problems { get; init; }

    /// <summary>The file is PKCS#12 (its extra certificates never reach Kestrel's chain).</summary>
    public bool IsPkcs12 { get; init; }

    /// <summary>The file is PKCS#12 and could not be opened with any password tried.</summary>
    public bool IsLocked { get; init; }

    /// <summary>
    /// The certificate Kestrel would serve from this file: for PEM the first certificate, for PKCS#12 the
    /// entry that holds the private key (else the first non-CA certificate).
    /// </summary>
    public CertificateInfo? Leaf =>
        IsPkcs12
            ? Certificates.FirstOrDefault(c => c.HasPrivateKey)
              ?? Certificates.FirstOrDefault(c => !c.IsCa)
              ?? (Certificates.Count > 0 ? Certificates[0] : null)
            : Certificates.Count > 0 ? Certificates[0] : null;
}

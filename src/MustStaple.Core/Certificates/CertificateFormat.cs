namespace MustStaple.Certificates;

/// <summary>How a certificate was stored on disk.</summary>
public enum CertificateFormat
{
    /// <summary>A PEM block.</summary>
    Pem,

    /// <summary>A binary DER file.</summary>
    Der,

    /// <summary>An entry of a PKCS#12 (PFX) file.</summary>
    Pkcs12,
}

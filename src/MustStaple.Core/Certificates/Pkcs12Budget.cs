namespace MustStaple.Certificates;

/// <summary>
/// The work a PKCS#12 file may ask for, as .NET's loader bounds it: <c>Pkcs12LoaderLimits.Defaults</c> of
/// <c>X509CertificateLoader</c> (printed on .NET 10.0.12: MacIterationLimit 300,000, IndividualKdfIterationLimit
/// 300,000, TotalKdfIterationLimit 1,000,000, MaxKeys 200, MaxCertificates 200). Counted before any key is derived,
/// so a hostile file is refused in milliseconds whichever reader would have opened it.
/// </summary>
internal sealed class Pkcs12Budget
{
    public const long MacIterationLimit = 300_000;
    public const long IndividualKdfIterationLimit = 300_000;
    public const long TotalKdfIterationLimit = 1_000_000;
    public const int MaxKeys = 200;
    public const int MaxCertificates = 200;

    private long _total;
    private int _keys;
    private int _certificates;

    /// <summary>The first limit broken, in words; null while within budget.</summary>
    public string? Exceeded { get; private set; }

    public void Mac(long iterations)
    {
        if (iterations > MacIterationLimit)
            Exceeded ??= $"its MAC asks for {Count(iterations)} key-derivation iterations, over .NET's limit of {MacIterationLimit:N0} (Pkcs12LoaderLimits.MacIterationLimit)";
    }

    /// <summary>One key derivation: an encrypted bag of certificates or a shrouded key.</summary>
    public void Derivation(long iterations)
    {
        if (iterations > IndividualKdfIterationLimit)
            Exceeded ??= $"one of its key derivations asks for {Count(iterations)} iterations, over .NET's limit of {IndividualKdfIterationLimit:N0} per derivation (Pkcs12LoaderLimits.IndividualKdfIterationLimit)";
        _total = iterations > TotalKdfIterationLimit ? TotalKdfIterationLimit + 1 : Math.Min(_total + iterations, TotalKdfIterationLimit + 1);
        if (_total > TotalKdfIterationLimit)
            Exceeded ??= $"its key derivations ask for more than {TotalKdfIterationLimit:N0} iterations in total, .NET's limit (Pkcs12LoaderLimits.TotalKdfIterationLimit)";
    }

    public void Key()
    {
        if (++_keys > MaxKeys)
            Exceeded ??= $"it holds more than {MaxKeys} private keys, .NET's limit (Pkcs12LoaderLimits.MaxKeys)";
    }

    public void Certificate()
    {
        if (++_certificates > MaxCertificates)
            Exceeded ??= $"it holds more than {MaxCertificates} certificates, .NET's limit (Pkcs12LoaderLimits.MaxCertificates)";
    }

    private static string Count(long n) => n >= int.MaxValue ? "over 2,147,483,646" : n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
}

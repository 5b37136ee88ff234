namespace MustStaple.Localization;

public static partial class Texts
{
    /// <summary>Localization/Certificates.resx: what the certificate readers name and explain.</summary>
    internal static readonly TextCatalog Certificates = new("Certificates");
}

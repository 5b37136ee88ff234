namespace MustStaple.Localization;

public static partial class Texts
{
    /// <summary>Localization/Kestrel.resx: what the Kestrel readers name (endpoints, Sni entries, platform signals).</summary>
    internal static readonly TextCatalog Kestrel = new("Kestrel");
}

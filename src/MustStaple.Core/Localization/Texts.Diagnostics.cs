namespace MustStaple.Localization;

public static partial class Texts
{
    /// <summary>Localization/Diagnostics.resx.</summary>
    internal static readonly TextCatalog Diagnostics = new("Diagnostics");
}

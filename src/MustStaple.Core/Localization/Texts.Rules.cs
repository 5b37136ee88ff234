namespace MustStaple.Localization;

public static partial class Texts
{
    /// <summary>Localization/Rules.resx.</summary>
    internal static readonly TextCatalog Rules = new("Rules");
}

namespace MustStaple.Localization;

public static partial class Texts
{
    /// <summary>Localization/Acme.resx: how the ACME readers name clients' certificates.</summary>
    internal static readonly TextCatalog Acme = new("Acme");
}

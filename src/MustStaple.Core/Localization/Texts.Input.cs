namespace MustStaple.Localization;

public static partial class Texts
{
    /// <summary>Localization/Input.resx: why a file could not be read (MST0001, MST0002, MST0004, MST0008 explanations).</summary>
    internal static readonly TextCatalog Input = new("Input");
}

namespace MustStaple.Localization;

public static partial class Texts
{
    /// <summary>Localization/Hosting.resx: what the container readers name (compose services, pods).</summary>
    internal static readonly TextCatalog Hosting = new("Hosting");
}

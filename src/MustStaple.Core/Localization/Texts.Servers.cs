namespace MustStaple.Localization;

public static partial class Texts
{
    /// <summary>Localization/Servers.resx: how the server readers name endpoints (nginx servers, Apache virtual hosts…).</summary>
    internal static readonly TextCatalog Servers = new("Servers");
}

namespace MustStaple.Localization;

public static partial class Texts
{
    /// <summary>Localization/Probe.resx: why a handshake with a running server failed (MST6005).</summary>
    internal static readonly TextCatalog Probe = new("Probe");
}

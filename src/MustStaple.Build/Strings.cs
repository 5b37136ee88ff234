using System.Globalization;
using System.Resources;

namespace MustStaple.Build;

/// <summary>
/// The task's own texts: <c>Strings.resx</c> (English) and <c>Strings.ja.resx</c> (the <c>ja</c> satellite in
/// <c>tasks/&lt;tfm&gt;/ja/</c>). MSBuild runs tasks under the build's UI culture (<c>DOTNET_CLI_UI_LANGUAGE</c>, Visual
/// Studio's language); rule messages are Core's, localized there.
/// </summary>
internal static class Strings
{
    private static readonly ResourceManager Manager = new("MustStaple.Build.Strings", typeof(Strings).Assembly);

    public static string Format(string name, params object?[] args) =>
        string.Format(CultureInfo.CurrentCulture, Manager.GetString(name, CultureInfo.CurrentUICulture) ?? name, args);
}

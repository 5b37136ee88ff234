using System.Resources;

namespace MustStaple.Analyzers;

/// <summary>The code fixes' titles: <c>CodeFixResources.resx</c> (English) and <c>.ja.resx</c>, in Visual Studio's language.</summary>
internal static class CodeFixResources
{
    private static readonly ResourceManager Manager = new("MustStaple.Analyzers.CodeFixResources", typeof(CodeFixResources).Assembly);

    // A null culture is the current UI culture (CultureInfo.CurrentUICulture is banned in analyzer assemblies, RS1035):
    // Visual Studio's language when it shows the light bulb.
    public static string Get(string name) => Manager.GetString(name, null) ?? name;
}

using System.Globalization;

namespace MustStaple.Core.Tests;

/// <summary>The tests assert English texts: a developer machine in another language must still pass them.</summary>
[TestClass]
public static class EnglishByDefault
{
    [AssemblyInitialize]
    public static void UseEnglish(TestContext context)
    {
        _ = context;
        CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
    }
}

using MustStaple.Core.Tests.Rules;

namespace MustStaple.Core.Tests.Kestrel;

[TestClass]
public sealed class AppSettingsRefusedTests
{
    [TestMethod]
    public void MissingComma_InTheLoadedAppSettings_IsAnErrorWhereTheParserStops()
    {
        // arrange: line 2 starts a key where a comma was expected
        using var p = new WebProject().Settings("{ \"Kestrel\": { \"Endpoints\": { \"Https\": { \"Url\": \"https://*:8443\"\n  \"Certificate\": { \"Path\": \"c.pem\" } } } } }");

        // act
        var result = p.Lint();

        // assert
        var d = Expect.Single(result, "MST0008");
        Assert.AreEqual(Diagnostics.Severity.Error, d.Severity);
        Assert.AreEqual(p.Path("appsettings.json"), d.Location.Path);
        Assert.AreEqual(2, d.Location.Line);
        Assert.AreEqual(3, d.Location.Column);
        StringAssert.Contains(d.Message, "'appsettings.json', which the app loads in environment 'Production', is refused: invalid JSON");
        Assert.IsFalse(result.Diagnostics.Any(x => x.Id == "MST0001"), "one finding, not two");
        Assert.AreEqual(1, result.ErrorCount);
    }

    [TestMethod]
    public void RefusedOverlayOfTheDeployedEnvironment_IsAnError()
    {
        using var p = new WebProject().Settings("{}").Settings("[1, 2]", "appsettings.Production.json");

        var d = Expect.Single(p.Lint(), "MST0008");

        Assert.AreEqual(p.Path("appsettings.Production.json"), d.Location.Path);
        StringAssert.Contains(d.Message, "the top-level JSON value must be an object");
    }

    [TestMethod]
    public void RefusedOverlayOfAnotherEnvironment_IsNotLoaded_NoMst0008()
    {
        using var p = new WebProject().Settings("{}").Settings("{ \"a\": ", "appsettings.Development.json");

        var result = p.Lint();

        Assert.IsFalse(result.Diagnostics.Any(d => d.Id == "MST0008"), string.Join("\n", result.Diagnostics.Select(d => d.Id + " " + d.Message)));
        Assert.AreEqual(0, result.ErrorCount);
    }

    [TestMethod]
    public void CommentsAndTrailingCommas_AsTheLibraryAllows_AreSilent()
    {
        using var p = new WebProject().Settings("{ // comment\n \"Logging\": { \"LogLevel\": { \"Default\": \"Information\", } },\n}");

        Assert.IsEmpty(p.Lint().Diagnostics);
    }
}

using MustStaple.Core.Tests.Rules;
using MustStaple.Diagnostics;

namespace MustStaple.Core.Tests.Kestrel;

internal static class Chains
{
    public static WebProject GoodChain(string? rid, string extra = "") =>
        new WebProject(rid).Pem("chain.pem", WebProject.Leaf, WebProject.Intermediate, WebProject.Root).File("chain.key", "")
            .Settings(WebProject.Endpoint("""{ "Path": "chain.pem", "KeyPath": "chain.key" }""", extra));
}

[TestClass]
public sealed class MacOSNeverStaplesTests
{
    [TestMethod]
    public void OsxRid_ReportsMst3003()
    {
        using var p = Chains.GoodChain("osx-arm64");

        var d = Expect.Single(p.Lint(), "MST3003");

        var (line, col) = p.Find("appsettings.json", "\"chain.pem\"");
        Expect.At(d, p.Path("appsettings.json"), line, col, line, col + 11);
        StringAssert.Contains(d.Message, "RuntimeIdentifier 'osx-arm64'");
    }

    [TestMethod]
    public void LinuxRid_IsSilent()
    {
        using var p = Chains.GoodChain("linux-musl-x64");

        Assert.IsEmpty(p.Lint().Diagnostics);
    }
}

[TestClass]
public sealed class WindowsDoesNotStapleTests
{
    [TestMethod]
    public void WindowsContainer_ReportsMst3004()
    {
        using var p = Chains.GoodChain(null);
        p.File("Dockerfile", "FROM mcr.microsoft.com/dotnet/aspnet:10.0-nanoserver-ltsc2022 AS base\nFROM base AS final\n");

        var d = Expect.Single(p.Lint(), "MST3004");

        Assert.AreEqual(Severity.Warning, d.Severity);
        StringAssert.Contains(d.Message, "nanoserver");
    }

    [TestMethod]
    public void WinRid_ReportsMst3004AtThePathValue()
    {
        using var p = Chains.GoodChain("win-x64");

        var d = Expect.Single(p.Lint(), "MST3004");

        var (line, col) = p.Find("appsettings.json", "\"chain.pem\"");
        Expect.At(d, p.Path("appsettings.json"), line, col, line, col + 11);
    }

    [TestMethod]
    public void TargetOsOptionOverridesInference()
    {
        using var p = Chains.GoodChain("win-x64");

        var result = p.Lint(r => new LintRequest { Paths = r.Paths, Now = r.Now, TargetPlatform = MustStaple.Kestrel.TargetPlatform.Linux });

        Assert.IsEmpty(result.Diagnostics);
    }
}

[TestClass]
public sealed class Http3NeverStaplesTests
{
    [TestMethod]
    public void Http3Protocols_ReportsMst3005AtProtocols()
    {
        using var p = Chains.GoodChain("linux-x64", "\n        \"Protocols\": \"Http1AndHttp2AndHttp3\",");

        var d = Expect.Single(p.Lint(), "MST3005");

        var (line, col) = p.Find("appsettings.json", "\"Http1AndHttp2AndHttp3\"");
        Expect.At(d, p.Path("appsettings.json"), line, col, line, col + 23);
    }

    [TestMethod]
    public void Http1AndHttp2_IsSilent()
    {
        using var p = Chains.GoodChain("linux-x64", "\n        \"Protocols\": \"Http1AndHttp2\",");

        Assert.IsEmpty(p.Lint().Diagnostics);
    }
}

[TestClass]
public sealed class TargetPlatformUnknownTests
{
    [TestMethod]
    public void NoSignal_ChainFailingOnLinux_ReportsMst3001NotMst3006()
    {
        using var p = new WebProject(rid: null).Pem("leaf.pem", WebProject.Leaf).File("leaf.key", "")
            .Settings(WebProject.Endpoint("""{ "Path": "leaf.pem", "KeyPath": "leaf.key" }"""));

        var result = p.Lint();

        StringAssert.Contains(Expect.Single(result, "MST3001").Message, "on any platform");
        Expect.None(result, "MST3006");
    }

    [TestMethod]
    public void NoSignal_ChainNeedingADownload_ReportsMst3006Only()
    {
        using var p = new WebProject(rid: null).Pem("leaf.pem", WebProject.LeafWithCaIssuers).File("leaf.key", "")
            .Settings(WebProject.Endpoint("""{ "Path": "leaf.pem", "KeyPath": "leaf.key" }"""));

        var result = p.Lint();

        Assert.AreEqual(Severity.Note, Expect.Single(result, "MST3006").Severity);
        Expect.None(result, "MST3001");
        Expect.None(result, "MST3002");
    }

    [TestMethod]
    public void NoSignal_ReportsMst3006AtThePathValue()
    {
        using var p = Chains.GoodChain(null);

        var d = Expect.Single(p.Lint(), "MST3006");

        var (line, col) = p.Find("appsettings.json", "\"chain.pem\"");
        Expect.At(d, p.Path("appsettings.json"), line, col, line, col + 11);
    }

    [TestMethod]
    public void ConflictingSignals_AreUnknown()
    {
        using var p = Chains.GoodChain("linux-x64");
        p.File("Dockerfile", "FROM mcr.microsoft.com/dotnet/aspnet:10.0-windowsservercore-ltsc2022\n");

        StringAssert.Contains(Expect.Single(p.Lint(), "MST3006").Message, "the signals disagree");
    }

    [TestMethod]
    public void PlainCertificate_SaysNothing()
    {
        using var p = new WebProject(rid: null).Pem("plain.pem", WebProject.Plain).File("k.key", "")
            .Settings(WebProject.Endpoint("""{ "Path": "plain.pem", "KeyPath": "k.key" }"""));

        Assert.IsEmpty(p.Lint().Diagnostics);
    }
}

[TestClass]
public sealed class EffectiveConfigurationTests
{
    [TestMethod]
    public void A22_DockerfileEnvironmentVariables_ServeDefaultCertificate()
    {
        using var p = new WebProject(rid: null).Pem("leaf.pem", WebProject.Leaf).File("leaf.key", "")
            .File("Dockerfile", "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nENV ASPNETCORE_URLS=https://+:443 \\\n    Kestrel__Certificates__Default__Path=leaf.pem \\\n    Kestrel__Certificates__Default__KeyPath=leaf.key\n");

        var d = Expect.Single(p.Lint(), "MST3001");

        Assert.AreEqual(p.Path("Dockerfile"), d.Location.Path);
        Assert.AreEqual(2, d.Location.Line);
    }

    [TestMethod]
    public void EnvironmentFile_OverridesBaseFile()
    {
        using var p = new WebProject().Pem("leaf.pem", WebProject.Leaf).Pem("chain.pem", WebProject.Leaf, WebProject.Intermediate, WebProject.Root).File("k.key", "")
            .Settings(WebProject.Endpoint("""{ "Path": "leaf.pem", "KeyPath": "k.key" }"""))
            .Settings("""{ "kestrel": { "endpoints": { "https": { "certificate": { "path": "chain.pem" } } } } }""", "appsettings.Production.json");

        Assert.IsEmpty(p.Lint().Diagnostics); // Production (the default) fixes the chain, keys compared case-insensitively

        var dev = p.Lint(r => new LintRequest { Paths = r.Paths, Now = r.Now, Environment = "Development" });
        Expect.Single(dev, "MST3001");
    }

    [TestMethod]
    public void DockerfileEnvironmentName_SelectsTheFile()
    {
        using var p = new WebProject().Pem("leaf.pem", WebProject.Leaf).File("k.key", "")
            .Settings("""{ "Kestrel": { "Certificates": { "Default": { "Path": "leaf.pem", "KeyPath": "k.key" } } } }""", "appsettings.Staging.json")
            .File("Dockerfile", "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nENV ASPNETCORE_ENVIRONMENT=Staging\n");

        Expect.Single(p.Lint(), "MST3001");
    }

    [TestMethod]
    public void InvalidJson_ReportsMst0008AtTheError()
    {
        // The app loads appsettings.json and Microsoft.Extensions.Configuration refuses it: the app will not start (issue 22).
        using var p = new WebProject().Settings("{\n  \"Kestrel\": {\n    \"Endpoints\": [ oops ]\n  }\n}\n");

        var d = Expect.Single(p.Lint(), "MST0008");

        Assert.AreEqual(p.Path("appsettings.json"), d.Location.Path);
        Assert.AreEqual(3, d.Location.Line);
    }
}

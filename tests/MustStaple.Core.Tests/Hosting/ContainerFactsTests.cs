using MustStaple.Core.Tests.Kestrel;
using MustStaple.Core.Tests.Rules;
using MustStaple.Diagnostics;

namespace MustStaple.Core.Tests.Hosting;

/// <summary>
/// docs/evidence/kestrel.md#round3's container facts through the hosting layer: compose env_file, Dockerfile ARG scoping,
/// .dockerignore, the official images' ASPNETCORE_HTTP_PORTS=8080 and one verdict per image. Docker itself is not run
/// here (§2.7 gave Kestrel exactly what Docker's documented behaviour gives the container); these are unit tests.
/// </summary>
[TestClass]
public sealed class ContainerFactsTests
{
    private const string Aspnet = "FROM mcr.microsoft.com/dotnet/aspnet:10.0\n";

    private static WebProject Project() =>
        new WebProject(rid: null).Pfx("certs/site.pfx", "pw", WebProject.Leaf, WebProject.Intermediate, WebProject.Root)
            .Pem("certs/chain.pem", WebProject.Leaf, WebProject.Intermediate, WebProject.Root).File("certs/k.key", "").Settings("{}");

    private static string Lines(WebProject p, LintResult r) => string.Join("\n", TestFolder.Lines(r, p.Folder.Root));

    private const string ComposeWithEnvFile = """
        services:
          web:
            image: mcr.microsoft.com/dotnet/aspnet:10.0
            volumes:
              - ./certs:/https:ro
            env_file: .env
        """;

    [TestMethod]
    public void EnvFile_ChoosesAPfx_ReportsMst3001OnTheEnvFileLine()
    {
        using var p = Project().File("compose.yaml", ComposeWithEnvFile)
            .File(".env", "# chosen at deploy time\nKestrel__Certificates__Default__Path=/https/site.pfx\nKestrel__Certificates__Default__Password=pw\nASPNETCORE_HTTPS_PORTS=8443\n");

        var result = p.Lint();

        var d = Expect.Single(result, "MST3001");
        Assert.AreEqual(Severity.Error, d.Severity, Lines(p, result));
        Expect.At(d, p.Path(".env"), 2, 38, 2, 53);
    }

    [TestMethod]
    public void EnvFile_EnvironmentWinsOverIt_FullChainIsClean()
    {
        using var p = Project().File("compose.yaml", ComposeWithEnvFile + """

                environment:
                  Kestrel__Certificates__Default__Path: /https/chain.pem
                  Kestrel__Certificates__Default__KeyPath: /https/k.key
            """)
            .File(".env", "Kestrel__Certificates__Default__Path=/https/site.pfx\nASPNETCORE_HTTPS_PORTS=8443\n");

        var result = p.Lint();

        Assert.IsFalse(result.Diagnostics.Any(d => d.Severity >= Severity.Warning), Lines(p, result));
    }

    [TestMethod]
    public void EnvFile_SelectsTheEnvironmentOverlay()
    {
        using var p = Project().File("compose.yaml", ComposeWithEnvFile).File(".env", "ASPNETCORE_ENVIRONMENT=Staging\nASPNETCORE_HTTPS_PORTS=8443\n")
            .Settings("""{ "Kestrel": { "Certificates": { "Default": { "Path": "/https/site.pfx", "Password": "pw" } } } }""", "appsettings.Staging.json");

        var d = Expect.Single(p.Lint(), "MST3001");

        Expect.At(d, p.Path("appsettings.Staging.json"), 1, 55, 1, 72);
    }

    [TestMethod]
    public void StageArg_SubstitutesIntoEnv_ReportsMst3001AtTheEnvValue()
    {
        using var p = Project().File("Dockerfile", Aspnet + "ARG CERT=/https/site.pfx\nCOPY certs/ /https/\n"
            + "ENV Kestrel__Certificates__Default__Path=$CERT Kestrel__Certificates__Default__Password=pw ASPNETCORE_HTTPS_PORTS=8443\n");

        var result = p.Lint();

        var d = Expect.Single(result, "MST3001");
        Expect.At(d, p.Path("Dockerfile"), 4, 42, 4, 47);
        Expect.None(result, "MST0003");
        Expect.None(result, "MST0004");
    }

    [TestMethod]
    public void GlobalArgNotDeclaredAgain_IsEmptyInTheStage_ReportsMst2004()
    {
        using var p = Project().File("Dockerfile", "ARG CERT=/https/chain.pem\n" + Aspnet + "COPY certs/ /https/\n"
            + "ENV Kestrel__Certificates__Default__Path=$CERT Kestrel__Certificates__Default__KeyPath=/https/k.key ASPNETCORE_HTTPS_PORTS=8443\n");

        var result = p.Lint();

        var d = Expect.Single(result, "MST2004");
        Expect.At(d, p.Path("Dockerfile"), 4, 42, 4, 47);
        StringAssert.Contains(d.Message, "No server certificate was specified");
        Expect.None(result, "MST3001");
    }

    [TestMethod]
    public void GlobalArgDeclaredAgain_TakesTheGlobalDefault_FullChainIsClean()
    {
        using var p = Project().File("Dockerfile", "ARG CERT=/https/chain.pem\n" + Aspnet + "ARG CERT\nCOPY certs/ /https/\n"
            + "ENV Kestrel__Certificates__Default__Path=$CERT Kestrel__Certificates__Default__KeyPath=/https/k.key ASPNETCORE_HTTPS_PORTS=8443\n");

        var result = p.Lint();

        Assert.IsFalse(result.Diagnostics.Any(d => d.Severity >= Severity.Warning), Lines(p, result));
    }

    [TestMethod]
    public void DockerIgnore_ExcludesTheCopiedFolder_ReportsMst2004AtThePath()
    {
        using var p = Project().File(".dockerignore", "# not sent to the daemon\ncerts/\n")
            .File("Dockerfile", Aspnet + "COPY . /app/\nENV Kestrel__Certificates__Default__Path=/app/certs/site.pfx Kestrel__Certificates__Default__Password=pw ASPNETCORE_HTTPS_PORTS=8443\n");

        var result = p.Lint();

        var d = Expect.Single(result, "MST2004");
        Expect.At(d, p.Path("Dockerfile"), 3, 42, 3, 61);
        Assert.IsTrue(d.RelatedLocations.Any(r => r.Path == p.Path(".dockerignore") && r.Line == 2), Lines(p, result));
        Expect.None(result, "MST3001");
        Expect.None(result, "MST0004");
    }

    [TestMethod]
    public void DockerIgnore_ExcludesTheCopySource_ReportsMst2004()
    {
        using var p = Project().File(".dockerignore", "**/*.pfx\n")
            .File("Dockerfile", Aspnet + "COPY certs/site.pfx /https/site.pfx\nENV Kestrel__Certificates__Default__Path=/https/site.pfx Kestrel__Certificates__Default__Password=pw\n");

        Expect.Single(p.Lint(), "MST2004");
    }

    [TestMethod]
    public void DockerIgnore_ExceptionReincludesTheFile_TheVerdictIsOnTheFile()
    {
        using var p = Project().File(".dockerignore", "certs/*\n!certs/site.pfx\n")
            .File("Dockerfile", Aspnet + "COPY . /app/\nENV Kestrel__Certificates__Default__Path=/app/certs/site.pfx Kestrel__Certificates__Default__Password=pw ASPNETCORE_HTTPS_PORTS=8443\n");

        var result = p.Lint();

        Expect.None(result, "MST2004");
        Expect.At(Expect.Single(result, "MST3001"), p.Path("Dockerfile"), 3, 42, 3, 61);
    }

    [TestMethod]
    public void OfficialImage_NoHttpsAddress_TheVerdictIsOnlyANote()
    {
        using var p = Project().File("Dockerfile", Aspnet + "COPY certs/ /https/\nENV Kestrel__Certificates__Default__Path=/https/site.pfx Kestrel__Certificates__Default__Password=pw\n");

        var result = p.Lint();

        var d = Expect.Single(result, "MST3001");
        Assert.AreEqual(Severity.Note, d.Severity);
        StringAssert.Contains(d.Message, "ASPNETCORE_HTTP_PORTS=8080");
        Expect.At(d, p.Path("Dockerfile"), 3, 42, 3, 57);
        Assert.IsFalse(result.Diagnostics.Any(x => x.Severity >= Severity.Warning), Lines(p, result));
    }

    [TestMethod]
    public void OfficialImage_HttpsPortsAdded_ReportsTheError()
    {
        using var p = Project().File("Dockerfile", Aspnet + "COPY certs/ /https/\nENV Kestrel__Certificates__Default__Path=/https/site.pfx Kestrel__Certificates__Default__Password=pw\n")
            .File("compose.yaml", "services:\n  web:\n    build: .\n    environment:\n      ASPNETCORE_HTTPS_PORTS: \"8443\"\n    ports: [\"443:8443\"]\n");

        var d = Expect.Single(p.Lint(), "MST3001");

        Assert.AreEqual(Severity.Error, d.Severity);
        Expect.At(d, p.Path("Dockerfile"), 3, 42, 3, 57);
    }

    [TestMethod]
    public void LinuxAndNanoserverDockerfiles_OneVerdictPerImage()
    {
        const string env = "COPY certs/ /https/\nENV Kestrel__Certificates__Default__Path=/https/site.pfx Kestrel__Certificates__Default__Password=pw ASPNETCORE_HTTPS_PORTS=8443\n";
        using var p = Project().File("Dockerfile", Aspnet + env)
            .File("Dockerfile.windows", "FROM mcr.microsoft.com/dotnet/aspnet:10.0-nanoserver-ltsc2022\n" + env);

        var result = p.Lint();

        Expect.None(result, "MST3006");
        Expect.At(Expect.Single(result, "MST3001"), p.Path("Dockerfile"), 3, 42, 3, 57);
        var windows = Expect.Single(result, "MST3004");
        Expect.At(windows, p.Path("Dockerfile.windows"), 3, 42, 3, 57);
        StringAssert.Contains(windows.Message, "nanoserver");
    }

    [TestMethod]
    public void LinuxAndNanoserverDockerfiles_FullChain_OnlyTheWindowsImageIsReported()
    {
        const string env = "COPY certs/ /https/\nENV Kestrel__Certificates__Default__Path=/https/chain.pem Kestrel__Certificates__Default__KeyPath=/https/k.key ASPNETCORE_HTTPS_PORTS=8443\n";
        using var p = Project().File("Dockerfile", Aspnet + env)
            .File("Dockerfile.windows", "FROM mcr.microsoft.com/dotnet/aspnet:10.0-nanoserver-ltsc2022\n" + env);

        var result = p.Lint();

        Assert.IsTrue(result.Diagnostics.Where(d => d.Severity >= Severity.Warning).All(d => d.Id == "MST3004" && d.Location.Path == p.Path("Dockerfile.windows")), Lines(p, result));
        Expect.Single(result, "MST3004");
    }
}

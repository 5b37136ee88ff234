using MustStaple.Core.Tests.Rules;
using MustStaple.Diagnostics;

namespace MustStaple.Core.Tests.Kestrel;

/// <summary>Container paths followed to the repository file that provides them; the verdict is made on that file.</summary>
[TestClass]
public sealed class ContainerPathTests
{
    private const string PfxEnv = "ENV Kestrel__Certificates__Default__Path=/https/site.pfx Kestrel__Certificates__Default__Password=pw\n";

    private static WebProject Project() =>
        new WebProject(rid: null).Pfx("certs/site.pfx", "pw", WebProject.Leaf, WebProject.Intermediate, WebProject.Root).Settings("{}");

    private static void AssertVerdictOnRepositoryFile(WebProject p, LintResult result, string configFile, int line)
    {
        var d = Expect.Single(result, "MST3001");
        Assert.AreEqual(p.Path(configFile), d.Location.Path);
        Assert.AreEqual(line, d.Location.Line);
        CollectionAssert.Contains(d.RelatedLocations.Select(r => r.Path).ToList(), p.Path(Path.Combine("certs", "site.pfx")));
        StringAssert.Contains(d.Message, "on Linux");
        Expect.None(result, "MST0004");
    }

    [TestMethod]
    public void DockerfileCopyOfAFile_ReportsTheVerdictOnTheCopiedFile()
    {
        using var p = Project().File("Dockerfile", "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nCOPY certs/site.pfx /https/site.pfx\n" + PfxEnv);

        var result = p.Lint();

        AssertVerdictOnRepositoryFile(p, result, "Dockerfile", 3);
        Expect.At(result.Diagnostics.Single(d => d.Id == "MST3001"), p.Path("Dockerfile"), 3, 42, 3, 57);
    }

    [TestMethod]
    public void DockerfileCopyOfAFolder_RelativeToWorkdir()
    {
        using var p = Project().File("Dockerfile", "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nWORKDIR /https\nCOPY [\"certs/\", \"./\"]\n" + PfxEnv);

        AssertVerdictOnRepositoryFile(p, p.Lint(), "Dockerfile", 4);
    }

    [TestMethod]
    public void DockerfileCopyFromABuildStage_FollowsItToTheBuildContext()
    {
        using var p = Project().File("Dockerfile",
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nWORKDIR /src\nCOPY . .\nRUN dotnet publish -o /app\n"
            + "FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final\nCOPY --from=build /src/certs /https\n" + PfxEnv);

        AssertVerdictOnRepositoryFile(p, p.Lint(), "Dockerfile", 7);
    }

    [TestMethod]
    public void DockerfileNamedForAVariant_IsRead()
    {
        using var p = Project().File("Dockerfile.linux", "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nCOPY certs/*.pfx /https/\n" + PfxEnv)
            .File("build.Dockerfile", "FROM mcr.microsoft.com/dotnet/sdk:10.0\n");

        AssertVerdictOnRepositoryFile(p, p.Lint(), "Dockerfile.linux", 3);
    }

    [TestMethod]
    public void ComposeBindVolume_ReportsTheVerdictOnTheMountedFile_CommentIsNotPartOfTheValue()
    {
        using var p = Project().File("compose.yaml", """
            services:
              web:
                image: mcr.microsoft.com/dotnet/aspnet:10.0
                volumes:
                  - ./certs:/https:ro
                environment:
                  Kestrel__Certificates__Default__Path: /https/site.pfx   # mounted below
                  Kestrel__Certificates__Default__Password: "pw"
            """);

        var result = p.Lint();

        AssertVerdictOnRepositoryFile(p, result, "compose.yaml", 7);
        Expect.At(result.Diagnostics.Single(d => d.Id == "MST3001"), p.Path("compose.yaml"), 7, 45, 7, 60);
    }

    [TestMethod]
    public void ComposeSecretWithFile_AndBuildDockerfile()
    {
        using var p = Project().File("deploy/web.Dockerfile", "FROM mcr.microsoft.com/dotnet/aspnet:10.0\n")
            .File("compose.yaml", """
            services:
              web:
                build:
                  context: .
                  dockerfile: deploy/web.Dockerfile
                secrets:
                  - source: site
                    target: site.pfx
                environment:
                  - Kestrel__Certificates__Default__Path=/run/secrets/site.pfx
                  - Kestrel__Certificates__Default__Password=pw
            secrets:
              site:
                file: ./certs/site.pfx
            """);

        var result = p.Lint();

        AssertVerdictOnRepositoryFile(p, result, "compose.yaml", 10);
        StringAssert.Contains(result.Diagnostics.Single(d => d.Id == "MST3001").Message, "on Linux");
    }

    [TestMethod]
    public void ContainerPathNothingProvides_ReportsMst0004NamingWhatWouldProvideIt()
    {
        using var p = Project().File("Dockerfile", "FROM mcr.microsoft.com/dotnet/aspnet:10.0\n" + PfxEnv);

        var result = p.Lint();

        var d = Expect.Single(result, "MST0004");
        Expect.At(d, p.Path("Dockerfile"), 2, 42, 2, 57);
        StringAssert.Contains(d.Message, "nothing in the repository provides");
        StringAssert.Contains(d.Message, "./certs:/https");
        Expect.None(result, "MST3001");
        Expect.None(result, "MST0003");
    }

    [TestMethod]
    public void NamedVolume_ReportsMst0004NamingTheVolume()
    {
        using var p = Project().File("compose.yaml",
            "services:\n  web:\n    image: mcr.microsoft.com/dotnet/aspnet:10.0\n    volumes:\n      - certs:/https\n"
            + "    environment:\n      - Kestrel__Certificates__Default__Path=/https/site.pfx\nvolumes:\n  certs:\n");

        StringAssert.Contains(Expect.Single(p.Lint(), "MST0004").Message, "named volume 'certs'");
    }

    [TestMethod]
    public void VolumeFromOutsideTheSourceRoot_IsNeverOpened()
    {
        using var outer = new TestFolder();
        outer.Write("outside/site.pfx", WebProject.Leaf.ToPfx("pw", WebProject.Intermediate));
        outer.Write("repo/App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\" />\n");
        outer.Write("repo/compose.yaml",
            "services:\n  web:\n    image: mcr.microsoft.com/dotnet/aspnet:10.0\n    volumes:\n      - ../outside:/https\n"
            + "    environment:\n      - Kestrel__Certificates__Default__Path=/https/site.pfx\n      - Kestrel__Certificates__Default__Password=pw\n");
        var repo = Path.Combine(outer.Root, "repo");

        var result = outer.Lint(r => new LintRequest { Paths = [repo], Now = r.Now, SourceRoot = repo });

        StringAssert.Contains(Expect.Single(result, "MST0004").Message, "outside the repository (it was not opened)");
        Assert.IsFalse(result.Diagnostics.Any(d => d.Location.Path.Contains("outside", StringComparison.Ordinal) || d.Id.StartsWith("MST3", StringComparison.Ordinal)),
            string.Join("\n", result.Diagnostics.Select(d => d.Id + " " + d.Message)));
    }

    [TestMethod]
    public void ComposeImage_IsAPlatformSignal()
    {
        using var p = new WebProject(rid: null).Pem("chain.pem", WebProject.Leaf, WebProject.Intermediate, WebProject.Root).File("k.key", "")
            .Settings("""{ "Kestrel": { "Certificates": { "Default": { "Path": "chain.pem", "KeyPath": "k.key" } } } }""")
            .File("docker-compose.yml", "services:\n  web:\n    image: mcr.microsoft.com/dotnet/aspnet:10.0\n    build: .\n");

        var result = p.Lint();

        Assert.IsEmpty(result.Diagnostics, string.Join("\n", TestFolder.Lines(result, p.Folder.Root)));
    }

    [TestMethod]
    public void InvalidCompose_ReportsMst0001AtTheError()
    {
        using var p = Project().File("compose.yaml", "services:\n  web:\n    environment: [a\n");

        var d = Expect.Single(p.Lint(), "MST0001");

        Assert.AreEqual(p.Path("compose.yaml"), d.Location.Path);
        Assert.AreEqual(Severity.Warning, d.Severity);
    }

    private const string Manifest = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          template:
            spec:
              containers:
                - name: web
                  image: mcr.microsoft.com/dotnet/aspnet:10.0
                  env:
                    - name: Kestrel__Certificates__Default__Path
                      value: /certs/tls.pfx   # from the Secret below
                  volumeMounts:
                    - name: tls
                      mountPath: /certs
              volumes:
                - name: tls
                  secret:
                    secretName: site-tls
        """;

    [TestMethod]
    public void KubernetesManifest_SecretMount_ReportsMst0004NamingTheSecret()
    {
        using var p = Project().File("k8s/deployment.yaml", Manifest);

        var d = Expect.Single(p.Lint(), "MST0004");

        Expect.At(d, p.Path(Path.Combine("k8s", "deployment.yaml")), 13, 22, 13, 36);
        StringAssert.Contains(d.Message, "Kubernetes Secret 'site-tls'");
    }

    [TestMethod]
    public void KubernetesManifest_ImageIsAPlatformSignal_AndOtherYamlIsIgnored()
    {
        using var p = new WebProject(rid: null).Pem("chain.pem", WebProject.Leaf, WebProject.Intermediate, WebProject.Root).File("k.key", "")
            .Settings("""{ "Kestrel": { "Certificates": { "Default": { "Path": "chain.pem", "KeyPath": "k.key" } } } }""")
            .File("deploy/web.yaml", Manifest.Replace("/certs/tls.pfx", "chain.pem"))
            .File(".github/workflows/ci.yml", "on: [push]\njobs: {{ not yaml\n");

        var result = p.Lint();

        Assert.IsEmpty(result.Diagnostics, string.Join("\n", TestFolder.Lines(result, p.Folder.Root)));
    }
}

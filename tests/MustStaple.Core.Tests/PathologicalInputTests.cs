using System.Text;
using MustStaple.Core.Tests.Rules;
using MustStaple.Testing;

namespace MustStaple.Core.Tests;

/// <summary>
/// Files built to make a naive reader quadratic (10 MiB, just under the size bound): each used to take hours; read
/// linearly, the run finishes and still reports what it can. No timing is asserted — a regression shows as a hang.
/// </summary>
[TestClass]
public sealed class PathologicalInputTests
{
    private const int Size = 10 * 1024 * 1024 - 1024;

    [TestMethod]
    public void PemFullOfBeginMarkersInsideLines_ReportsMst0001()
    {
        using var dir = new TestFolder();
        dir.Write("markers.pem", Repeat("x-----BEGIN CERTIFICATE-----\n"));

        var result = dir.Lint();

        // ~360,000 broken blocks: the first 20 are located, then one line counts the rest
        var found = result.Diagnostics.Where(d => d.Id == "MST0001").ToList();
        Assert.HasCount(21, found, string.Join("\n", found.Select(f => $"{f.Location.Line}: {f.Message}")));
        StringAssert.Contains(found[0].Message, "no matching END line");
        Assert.AreEqual(1, found[0].Location.Line);
        StringAssert.Contains(found[20].Message, "more damaged PEM blocks after this one are not reported");
    }

    [TestMethod]
    public void DockerfileWithHugeLines_StillReadsItsEnvironment()
    {
        // arrange: a 10 MiB ENV value with no '=', a 10 MiB run of continuations, then a real Kestrel variable
        using var dir = new TestFolder();
        var root = new CertificateBuilder("Private Root").AsCa().Build();
        var leaf = new CertificateBuilder("shop").MustStaple().Ocsp("http://ocsp.example").IssuedBy(root).Build();
        dir.Write("certs/leaf.pem", leaf.Pem);
        dir.Write("App/App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>\n");
        var continuations = Size / 3 / 5;
        var text = new StringBuilder()
            .Append("FROM mcr.microsoft.com/dotnet/aspnet:10.0\n")
            .Append("ENV ").Append('a', Size / 3).Append('\n')
            .Append("RUN true ").Append(string.Concat(Enumerable.Repeat("\\\n x ", continuations))).Append('\n')
            .Append("ENV Kestrel__Certificates__Default__Path=../certs/leaf.pem\n");
        var path = dir.Write("App/Dockerfile", text.ToString());

        // act
        var result = dir.Lint();

        // assert: the variable after the huge lines was read and located: a leaf-only PEM served on Linux never staples
        var d = Expect.Single(result, "MST3001");
        Assert.AreEqual(path, d.Location.Path);
        Assert.AreEqual(4 + continuations, d.Location.Line);
    }

    [TestMethod]
    public void ComposeWithHugeWhitespaceLines_StillReadsItsEnvironment()
    {
        using var dir = new TestFolder();
        dir.Write("App/App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><PropertyGroup><TargetFramework>net10.0</TargetFramework><RuntimeIdentifier>linux-x64</RuntimeIdentifier></PropertyGroup></Project>\n");
        var text = "services:\n  web:\n    environment:\n      - A=" + new string(' ', Size / 2) + "x\n"
            + "      - B=" + new string('\t', Size / 4) + "x\n"
            + "      - Kestrel__Endpoints__Web__Url=https://*:443\n"
            + "      - Kestrel__Endpoints__Web__Certificate__Subject=shop\n";
        dir.Write("App/compose.yaml", text);

        var result = dir.Lint();

        // a store certificate on a configured endpoint: the compose entries after the huge lines were read
        Expect.Single(result, "MST0004");
    }

    private static string Repeat(string line) =>
        new StringBuilder(Size + line.Length).Insert(0, line, Size / line.Length).ToString();
}

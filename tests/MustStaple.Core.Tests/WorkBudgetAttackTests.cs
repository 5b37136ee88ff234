using System.Text;
using MustStaple.Core.Tests.Rules;
using MustStaple.Discovery;
using MustStaple.Kestrel;
using MustStaple.Testing;

namespace MustStaple.Core.Tests;

/// <summary>
/// Each amplification of issue 17, as a pull request would commit it, beside a normal app: one MST0001 on the offending
/// file naming the limit, the normal app's finding intact, the run finished (each test is bounded by a timeout).
/// </summary>
[TestClass]
public sealed class WorkBudgetAttackTests
{
    private const string WebProject = "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>\n";
    private static readonly TestCertificate NoOcspLeaf = new CertificateBuilder("normal.example").MustStaple().Build();

    private static (TestFolder Dir, string Leaf) Repository()
    {
        var dir = new TestFolder();
        return (dir, dir.Write("normal/leaf.pem", NoOcspLeaf.Pem));
    }

    // Exactly one finding on the offending file: an MST0001 whose message names the limit.
    private static void OneLimitFinding(LintResult result, string path, string limit)
    {
        var all = string.Join("\n", result.Diagnostics.Select(d => $"{d.Id} {d.Location.Path} {d.Message}"));
        var on = result.Diagnostics.Where(d => d.Location.Path == path).ToList();
        Assert.HasCount(1, on, all);
        Assert.AreEqual("MST0001", on[0].Id, all);
        StringAssert.Contains(on[0].Message, limit, all);
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void DockerfileStagesFanningOut_StopAtTheMountLimit()
    {
        // arrange: 12 stages, each copying the previous one ten times (10^12 mounts if materialised)
        var (dir, leaf) = Repository();
        using var _ = dir;
        dir.Write("app/app.csproj", WebProject);
        var docker = new StringBuilder("FROM mcr.microsoft.com/dotnet/aspnet:9.0 AS s0\nCOPY certs/ /certs/\n");
        for (var s = 1; s < 12; s++)
        {
            docker.Append($"FROM mcr.microsoft.com/dotnet/aspnet:9.0 AS s{s}\n");
            for (var n = 0; n < 10; n++) docker.Append($"COPY --from=s{s - 1} / /d{n}/\n");
        }
        var dockerfile = dir.Write("app/Dockerfile", docker.ToString());
        dir.Write("app/certs/readme.txt", "x");

        // act
        var result = dir.Lint();

        // assert
        Assert.AreEqual(leaf, Expect.Single(result, "MST1001").Location.Path);
        OneLimitFinding(result, dockerfile, "container mounts per file");
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void ComposeAliasFanOut_IsReadOncePerConsumer_AndStopsAtTheNodeLimit()
    {
        // arrange: one anchored environment of 2,000 keys used by 2,000 services (4,000,000 pairs as consumers see them)
        var (dir, leaf) = Repository();
        using var _ = dir;
        dir.Write("app/app.csproj", WebProject);
        var yaml = new StringBuilder("x-env: &e\n");
        for (var k = 0; k < 2_000; k++) yaml.Append($"  K{k}: v\n");
        yaml.Append("services:\n");
        for (var s = 0; s < 2_000; s++) yaml.Append($"  s{s}:\n    image: x\n    environment: *e\n");
        var compose = dir.Write("app/compose.yaml", yaml.ToString());

        // act
        var result = dir.Lint();

        // assert
        Assert.AreEqual(leaf, Expect.Single(result, "MST1001").Location.Path);
        OneLimitFinding(result, compose, "configuration nodes");
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void ManifestListingOneAnchoredContainer200000Times_StopsAtTheNodeLimit()
    {
        var (dir, leaf) = Repository();
        using var _ = dir;
        dir.Write("app/app.csproj", WebProject);
        var yaml = new StringBuilder("apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - &c\n        name: a\n        image: x\n        env:\n");
        for (var k = 0; k < 10; k++) yaml.Append($"        - name: K{k}\n          value: v\n");
        for (var i = 0; i < 200_000; i++) yaml.Append("      - *c\n");
        var manifest = dir.Write("deploy/app.yaml", yaml.ToString());

        var result = dir.Lint();

        Assert.AreEqual(leaf, Expect.Single(result, "MST1001").Location.Path);
        OneLimitFinding(result, manifest, "configuration nodes");
    }

    [TestMethod]
    public void MergeKeys_KeepYamlOrder_TheKeysWrittenWin_ThenTheEarlierMerge()
    {
        var text = "a: &a { k: a, x: a }\nb: &b { k: b, y: b }\nm:\n  <<: [*a, *b]\n  x: own\n";

        var (docs, error) = YamlTree.Read("/r/m.yaml", text);

        Assert.IsNull(error);
        var m = docs[0]["m"]!;
        Assert.AreEqual("a", m.Text("k"));
        Assert.AreEqual("own", m.Text("x"));
        Assert.AreEqual("b", m.Text("y"));
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void ManyMergeKeys_AreChargedPerMergedPair()
    {
        // 99,000 merge keys of a 10-pair mapping: 990,000 pairs as consumers see them, over the per-file limit
        var yaml = new StringBuilder("base: &b {");
        for (var k = 0; k < 10; k++) yaml.Append($" k{k}: v,");
        yaml.Append(" z: v }\nm:\n");
        for (var i = 0; i < 99_000; i++) yaml.Append("  <<: *b\n");

        var ex = Assert.ThrowsExactly<WorkLimitException>(() => YamlTree.Read("/r/m.yaml", yaml.ToString(), new WorkBudget()));

        StringAssert.Contains(ex.Message, "configuration nodes");
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    [DataRow("nginx")]
    [DataRow("apache")]
    public void OneFileIncluded256Times_IsParsedOnce_AndItsUsesStopAtTheNodeLimit(string server)
    {
        // arrange: a 5,000-directive file included 256 times (1,280,000 directives as the server reads them)
        var (dir, leaf) = Repository();
        using var _ = dir;
        var big = new StringBuilder();
        for (var i = 0; i < 5_000; i++) big.Append(server == "nginx" ? $"add_header X-{i} v;\n" : $"Header set X-{i} v\n");
        var main = new StringBuilder(server == "nginx" ? "events {}\nhttp {\n" : "");
        for (var i = 0; i < 256; i++) main.Append(server == "nginx" ? "include big.inc;\n" : "Include big.inc\n");
        if (server == "nginx") main.Append("}\n");
        dir.Write($"{server}/big.inc", big.ToString());
        var mainPath = dir.Write(server == "nginx" ? "nginx/nginx.conf" : "apache/apache2.conf", main.ToString());

        // act
        var result = dir.Lint();

        // assert
        Assert.AreEqual(leaf, Expect.Single(result, "MST1001").Location.Path);
        OneLimitFinding(result, mainPath, "configuration nodes");
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void HAProxyBindWithThousandsOfCrtArguments_StopsAtTheEdgeLimit()
    {
        var (dir, leaf) = Repository();
        using var _ = dir;
        dir.Write("haproxy/site.pem", new CertificateBuilder("site.example").Build().Pem);
        var bind = new StringBuilder("frontend f\n  bind :443 ssl");
        for (var i = 0; i < 5_000; i++) bind.Append(" crt site.pem");
        var cfg = dir.Write("haproxy/haproxy.cfg", bind.Append('\n').ToString());

        var result = dir.Lint();

        Assert.AreEqual(leaf, Expect.Single(result, "MST1001").Location.Path);
        OneLimitFinding(result, cfg, "include and COPY --from edges");
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void HAProxyCrtListNamingAFolderOnEveryLine_ListsItOnce_AndStopsAtTheEntryLimit()
    {
        var (dir, leaf) = Repository();
        using var _ = dir;
        for (var i = 0; i < 100; i++) dir.Write($"haproxy/certs/c{i}.key", "x"); // side files: listed, never served
        var list = new StringBuilder();
        for (var i = 0; i < 1_000; i++) list.Append("certs/\n");
        dir.Write("haproxy/list.txt", list.ToString());
        var cfg = dir.Write("haproxy/haproxy.cfg", "frontend f\n  bind :443 ssl crt-list list.txt\n");

        var result = dir.Lint();

        Assert.AreEqual(leaf, Expect.Single(result, "MST1001").Location.Path);
        OneLimitFinding(result, cfg, "directory entries listed");
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public void CodePasswordsTriedOnLockedPfxFiles_StopAtTheKeyDerivationLimits()
    {
        // arrange: 64 string literals in a C# file naming a .pfx, 4 locked PFX files (2,048 iterations a derivation);
        // limits small enough that the tries exceed them (the defaults are proportionally larger: README Security)
        var (dir, leaf) = Repository();
        using var _ = dir;
        var code = new StringBuilder("class P { string f = \"app.pfx\";\n");
        for (var i = 0; i < 64; i++) code.Append($"string s{i} = \"guess-{i}\";\n");
        dir.Write("app/Program.cs", code.Append("}\n").ToString());
        var pfx = new CertificateBuilder("locked.example").Build().ToModernPfx("the-real-one");
        var paths = Enumerable.Range(0, 4).Select(i => dir.Write($"app/locked{i}.pfx", pfx)).ToList();
        var limits = new WorkLimits
        {
            PerFile = [.. WorkLimits.Default.PerFile.Take(5), 100_000],
            PerRun = [.. WorkLimits.Default.PerRun.Take(5), 250_000],
        };

        // act
        var result = dir.Lint(r => new LintRequest { Paths = r.Paths, Now = r.Now, SourceRoot = r.SourceRoot, Limits = limits });

        // assert: every locked file is named once, by the limit it reached (per file first, then the run's)
        Assert.AreEqual(leaf, Expect.Single(result, "MST1001").Location.Path);
        foreach (var p in paths)
        {
            var on = result.Diagnostics.Where(d => d.Location.Path == p).ToList();
            Assert.HasCount(1, on, string.Join("\n", result.Diagnostics.Select(d => $"{d.Id} {d.Location.Path} {d.Message}")));
            StringAssert.Contains(on[0].Message, "key-derivation iterations");
        }
        Assert.IsTrue(result.Diagnostics.Any(d => d.Message.Contains("the run reached", StringComparison.Ordinal)));
    }
}

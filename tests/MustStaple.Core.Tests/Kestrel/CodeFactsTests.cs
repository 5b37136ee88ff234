using MustStaple.Kestrel;
using MustStaple.Testing;

namespace MustStaple.Core.Tests.Kestrel;

/// <summary>The facts Core hands the C# analyzer (issue 13.2): per certificate file, Core's own verdicts.</summary>
[TestClass]
public sealed class CodeFactsTests
{
    private static readonly TestCertificate Root = new CertificateBuilder("Facts Root").AsCa().Build();
    private static readonly TestCertificate Intermediate = new CertificateBuilder("Facts Issuing CA").AsCa().IssuedBy(Root).Build();
    private static readonly TestCertificate Leaf = new CertificateBuilder("shop.example").MustStaple().Ocsp("http://ocsp.example").IssuedBy(Intermediate).Build();
    private static readonly TestCertificate Plain = new CertificateBuilder("plain.example").Ocsp("http://ocsp.example").IssuedBy(Intermediate).Build();

    private static string[] Lines(TestFolder dir, string? os = "linux", params string[] passwords) =>
        CodeFacts.Compute(new CodeFactsRequest
        {
            ProjectDirectory = dir.Root,
            TargetPlatform = TargetPlatformText.ParseOs(os),
            Passwords = passwords,
        }).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [TestMethod]
    public void PemFullChain_CompleteWithItsOwnFile_IncompleteAlone()
    {
        // arrange
        using var dir = new TestFolder();
        dir.Write("certs/chain.pem", TestCertificate.PemChain(Leaf, Intermediate, Root));

        // act
        var lines = Lines(dir);

        // assert
        CollectionAssert.AreEqual(new[]
        {
            CodeFacts.Header,
            "platform\tlinux",
            "cert\tcerts/chain.pem\tpem\tmust-staple\tstapleable\tincomplete\tcomplete\tshop.example",
            "chain\tcerts/chain.pem\tcerts/chain.pem\tcomplete",
        }, lines);
    }

    [TestMethod]
    public void PfxOpenedWithACodePassword_IsIncompleteEitherWay_AndThePasswordIsNotWritten()
    {
        using var dir = new TestFolder();
        dir.Write("certs/site.pfx", Leaf.ToPfx("code-only-password", Intermediate, Root));
        dir.Write("certs/intermediate.pem", TestCertificate.PemChain(Intermediate, Root));

        var text = string.Join("\n", Lines(dir, "linux", "a-wrong-one", "code-only-password"));

        StringAssert.Contains(text, "cert\tcerts/site.pfx\tpfx\tmust-staple\tstapleable\tincomplete\tincomplete\tshop.example");
        StringAssert.Contains(text, "chain\tcerts/site.pfx\tcerts/intermediate.pem\tcomplete");
        Assert.DoesNotContain("code-only-password", text);
    }

    [TestMethod]
    public void ConfiguredCertificatePaths_AreListed_ButNeverTheirPassword()
    {
        using var dir = new TestFolder();
        dir.Write("certs/site.pfx", Leaf.ToPfx("configured-secret"));
        dir.Write("appsettings.json", """{ "Kestrel": { "Certificates": { "Default": { "Path": "certs/site.pfx", "Password": "configured-secret" } } } }""");

        var text = string.Join("\n", Lines(dir));

        StringAssert.Contains(text, "config\tKestrel:Certificates:Default:Path\tcerts/site.pfx");
        StringAssert.Contains(text, "cert\tcerts/site.pfx\tpfx\tmust-staple"); // opened with the configured password
        Assert.DoesNotContain("configured-secret", text);
    }

    // docs/evidence/kestrel.md#round3-config: a path read from any configuration key is as knowable as the configuration itself.
    [TestMethod]
    public void AnyKeyNamingACertificateFile_IsListed_AndAPasswordKeyOpensThePfx_ButIsNeverWritten()
    {
        using var dir = new TestFolder();
        dir.Write("certs/site.pfx", Leaf.ToPfx("app-key-secret"));
        dir.Write("appsettings.json", """{ "CertPath": "certs/site.pfx", "CertPassword": "app-key-secret", "Tls": { "Certificate": "certs/site.pfx" }, "ConnectionStrings": { "Db": "Server=db;Password=hunter2" }, "Logging": { "File": "logs/app.log" } }""");

        var lines = Lines(dir);
        var text = string.Join("\n", lines);

        CollectionAssert.Contains(lines, "config\tCertPath\tcerts/site.pfx");
        CollectionAssert.Contains(lines, "config\tTls:Certificate\tcerts/site.pfx");
        StringAssert.Contains(text, "cert\tcerts/site.pfx\tpfx\tmust-staple"); // opened with the CertPassword value
        Assert.DoesNotContain("app-key-secret", text);
        Assert.DoesNotContain("hunter2", text);
        Assert.DoesNotContain("logs/app.log", text); // not a certificate file
        Assert.AreEqual(2, lines.Count(l => l.StartsWith("config\t", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void KeyNamedLikeAPassword_IsNeverListed_EvenWhenItsValueNamesACertificate()
    {
        using var dir = new TestFolder();
        dir.Write("certs/chain.pem", TestCertificate.PemChain(Leaf, Intermediate, Root));
        dir.Write("appsettings.json", """{ "PasswordFile": "certs/chain.pem" }""");

        Assert.IsFalse(Lines(dir).Any(l => l.StartsWith("config\t", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void PfxWithoutAnyKnownPassword_IsLocked()
    {
        using var dir = new TestFolder();
        dir.Write("certs/site.pfx", Leaf.ToPfx("nobody-knows"));

        CollectionAssert.Contains(Lines(dir), "cert\tcerts/site.pfx\tlocked");
    }

    [TestMethod]
    public void PlainCertificate_IsUnstapleable_AndHasNoChainLines()
    {
        using var dir = new TestFolder();
        dir.Write("certs/plain.pem", TestCertificate.PemChain(Plain, Intermediate, Root));

        var lines = Lines(dir);

        CollectionAssert.Contains(lines, "cert\tcerts/plain.pem\tpem\tplain\tunstapleable\tincomplete\tcomplete\tplain.example");
        Assert.IsFalse(lines.Any(l => l.StartsWith("chain", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void RuntimeIdentifier_SetsThePlatform()
    {
        using var dir = new TestFolder();
        dir.Write("App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><PropertyGroup><RuntimeIdentifier>osx-arm64</RuntimeIdentifier></PropertyGroup></Project>");

        var lines = CodeFacts.Compute(new CodeFactsRequest
        {
            ProjectDirectory = dir.Root,
            ProjectProperties = new Dictionary<string, string> { ["RuntimeIdentifier"] = "osx-arm64" },
        }).Split('\n');

        Assert.AreEqual("platform\tosx", lines[1]);
    }
}

/// <summary>PFX passwords from C# string literals (issue 13: a password only in Program.cs).</summary>
[TestClass]
public sealed class CodePasswordsTests
{
    private static readonly string[] Expected = ["certs/site.pfx", "p\"w\\d", "ver\"b"];

    [TestMethod]
    public void FileNamingAPfx_YieldsItsLiterals_Unescaped()
    {
        var found = CodePasswords.FromSources(["""l.UseHttps("certs/site.pfx", "p\"w\\d"); var v = @"ver""b";"""]);

        CollectionAssert.AreEqual(Expected, found.ToArray());
    }

    [TestMethod]
    public void FileNotNamingAPfx_YieldsNothing()
    {
        var found = CodePasswords.FromSources(["""var password = "secret"; X509Certificate2.CreateFromPemFile("a.pem", "a.key");"""]);

        Assert.IsEmpty(found);
    }

    [TestMethod]
    public void ManyLiterals_AreBounded()
    {
        var source = "\"x.pfx\";" + string.Concat(Enumerable.Range(0, 500).Select(i => $"\"literal-{i}\";"));

        Assert.HasCount(CodePasswords.MaxCandidates, CodePasswords.FromSources([source]));
    }

    [TestMethod]
    public void LockedPfx_PasswordOnlyInProgramCs_TheLintOpensIt()
    {
        // arrange: a must-staple PFX with its chain, no configuration, the password only in code
        var root = new CertificateBuilder("Code Root").AsCa().Build();
        var leaf = new CertificateBuilder("code.example").MustStaple().Ocsp("http://ocsp.example").IssuedBy(root).Build();
        using var dir = new TestFolder();
        dir.Write("certs/site.pfx", leaf.ToPfx("only-in-code", root));
        using var control = new TestFolder();
        control.Write("certs/site.pfx", leaf.ToPfx("only-in-code", root));
        dir.Write("Program.cs", """builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(5001, l => l.UseHttps("certs/site.pfx", "only-in-code")));""");

        // act
        var withCode = dir.Lint().Diagnostics.Select(d => d.Id).ToList();
        var withoutCode = control.Lint().Diagnostics.Select(d => d.Id).ToList();

        // assert: the control proves the PFX is locked without the code
        Assert.IsTrue(withoutCode.Any(id => id is "MST0002" or "MST0005"), string.Join(",", withoutCode));
        Assert.IsFalse(withCode.Any(id => id is "MST0002" or "MST0005"), string.Join(",", withCode));
    }
}

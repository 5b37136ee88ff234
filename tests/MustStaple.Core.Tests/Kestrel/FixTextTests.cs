using MustStaple.Core.Tests.Rules;
using MustStaple.Diagnostics;

namespace MustStaple.Core.Tests.Kestrel;

/// <summary>
/// Each fix text fits the chain at hand and the front it is printed by: a private-CA full chain lacking only its root
/// is told to append the root (not "the intermediate(s)"), a leaf-only file the named intermediate; the unknown-platform
/// sentence reads as one; advice names the MSBuild property in a build and the flag in the CLI, with one fingerprint.
/// </summary>
[TestClass]
public sealed class FixTextTests
{
    [TestMethod]
    public void LeafAndIntermediate_OnlyThePrivateRootMissing_FixAppendsThatCertificate_NotTheIntermediates()
    {
        using var p = new WebProject().Pem("fullchain.pem", WebProject.Leaf, WebProject.Intermediate).File("k.key", "")
            .Settings(WebProject.Endpoint("""{ "Path": "fullchain.pem", "KeyPath": "k.key" }"""));

        var message = Expect.Single(p.Lint(), "MST3001").Message;

        StringAssert.Contains(message, "Append the certificate of 'CN=Test Root' (the root of your private CA, or the next intermediate) to the PEM Path file");
        Assert.DoesNotContain("Append the intermediate", message);
    }

    [TestMethod]
    public void LeafOnly_FixNamesTheMissingIntermediate()
    {
        using var p = new WebProject().Pem("leaf.pem", WebProject.Leaf).File("k.key", "")
            .Settings(WebProject.Endpoint("""{ "Path": "leaf.pem", "KeyPath": "k.key" }"""));

        StringAssert.Contains(Expect.Single(p.Lint(), "MST3001").Message,
            "Append the intermediate 'CN=Test Issuing CA' (and the root, if it is a private CA) to the PEM Path file after the leaf");
    }

    [TestMethod]
    public void UnknownPlatform_ScopeReadsAsASentence()
    {
        using var p = new WebProject(rid: null).Pem("leaf.pem", WebProject.Leaf).File("k.key", "")
            .Settings(WebProject.Endpoint("""{ "Path": "leaf.pem", "KeyPath": "k.key" }"""));

        var message = Expect.Single(p.Lint(), "MST3001").Message;

        StringAssert.Contains(message, "will never be stapled on any platform (the target platform is unknown; Windows and macOS never staple, and Linux cannot complete the chain): the PEM file holds only the leaf");
        Assert.DoesNotContain("…", message);
        Assert.DoesNotContain("--target-os", message);
    }

    [TestMethod]
    public void UnknownPlatform_Mst3006_NamesThePropertyInABuildAndTheFlagInTheCli_SameFingerprint()
    {
        using var p = new WebProject(rid: null).Pem("chain.pem", WebProject.Leaf, WebProject.Intermediate, WebProject.Root).File("k.key", "")
            .Settings(WebProject.Endpoint("""{ "Path": "chain.pem", "KeyPath": "k.key" }"""));

        var cli = Expect.Single(p.Lint(), "MST3006");
        var build = Expect.Single(p.Lint(r => Front(r, LintFront.Build)), "MST3006");

        StringAssert.Contains(cli.Message, "Pass --target-os linux|windows|osx");
        Assert.DoesNotContain("MustStapleTargetOS", cli.Message);
        StringAssert.Contains(build.Message, "Set the MustStapleTargetOS property");
        Assert.DoesNotContain("--target-os", build.Message);
        Assert.AreEqual(Sarif.SarifWriter.Fingerprint(cli, p.Folder.Root), Sarif.SarifWriter.Fingerprint(build, p.Folder.Root));
    }

    [TestMethod]
    public void LockedServedPfx_Mst0002_TellsEachFrontWhereThePasswordGoes()
    {
        using var p = new WebProject().Pfx("site.pfx", "secret-pw", WebProject.Leaf, WebProject.Intermediate)
            .Settings(WebProject.Endpoint("""{ "Path": "site.pfx" }"""));

        var cli = Expect.Single(p.Lint(), "MST0002").Message;
        var build = Expect.Single(p.Lint(r => Front(r, LintFront.Build)), "MST0002").Message;

        StringAssert.Contains(cli, "with --pfx-password-env NAME");
        StringAssert.Contains(build, "the project's user secrets");
        StringAssert.Contains(build, "MustStaplePfxPasswordEnv");
        Assert.DoesNotContain("--pfx-password-env", build);
        Assert.DoesNotContain("secret-pw", cli + build);
    }

    private static LintRequest Front(LintRequest r, LintFront front) => new()
    {
        Paths = r.Paths, Now = r.Now, SourceRoot = r.SourceRoot, Front = front,
    };
}

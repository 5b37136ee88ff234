using System.Collections;
using System.Text;
using MustStaple.Kestrel;

namespace MustStaple.Core.Tests.Kestrel;

[TestClass]
public sealed class PasswordSourcesTests
{
    [TestMethod]
    public void UserSecrets_FlatAndNestedPasswordKeys_AreFound_OtherValuesAreNot()
    {
        var json = """
            { "Kestrel:Certificates:Default:Password": "flat-pw", "ConnectionStrings:Db": "not-a-password",
              "Kestrel": { "Endpoints": { "Https": { "Certificate": { "Password": "nested-pw" } } } }, // comment
            }
            """;

        var found = PasswordSources.FromUserSecrets(Encoding.UTF8.GetBytes(json));

        string[] expected = ["flat-pw", "nested-pw"];
        CollectionAssert.AreEquivalent(expected, found.ToArray());
    }

    [TestMethod]
    public void UserSecrets_BrokenOrHugeFile_GivesNothing()
    {
        Assert.IsEmpty(PasswordSources.FromUserSecrets(Encoding.UTF8.GetBytes("{ \"Password\": ")));
        Assert.IsEmpty(PasswordSources.FromUserSecrets(new byte[PasswordSources.MaxSecretsBytes + 1]));
    }

    [TestMethod]
    public void UserSecretsFile_IsTheSdksLocation_AndAnIdCannotLeaveIt()
    {
        var expected = Path.DirectorySeparatorChar == '\\'
            ? Path.Combine("C:\\appdata", "Microsoft", "UserSecrets", "abc-123", "secrets.json")
            : Path.Combine("/home/dev", ".microsoft", "usersecrets", "abc-123", "secrets.json");

        Assert.AreEqual(expected, PasswordSources.UserSecretsFile("abc-123", "C:\\appdata", "/home/dev"));
        Assert.IsNull(PasswordSources.UserSecretsFile("../../.ssh", "C:\\appdata", "/home/dev"));
        Assert.IsNull(PasswordSources.UserSecretsFile("..", "C:\\appdata", "/home/dev"));
        Assert.IsNull(PasswordSources.UserSecretsFile("a/b", "C:\\appdata", "/home/dev"));
        Assert.IsNull(PasswordSources.UserSecretsFile(null, "C:\\appdata", "/home/dev"));
    }

    [TestMethod]
    public void KestrelVariables_AllPasswordForms_NothingElse()
    {
        IDictionary env = new Hashtable
        {
            ["Kestrel__Certificates__Default__Password"] = "a",
            ["ASPNETCORE_Kestrel__Endpoints__Https__Certificate__Password"] = "b",
            ["DOTNET_Kestrel__Certificates__Default__Password"] = "c",
            ["Kestrel__Certificates__Default__Path"] = "not-a-password",
            ["DB_PASSWORD"] = "not-kestrel",
            ["Kestrel__Certificates__Default__Password_old"] = "no",
        };

        string[] expected = ["a", "b", "c"];
        CollectionAssert.AreEquivalent(expected, PasswordSources.KestrelVariables(env).ToArray());
    }

    [TestMethod]
    public void Combine_DropsDuplicatesAndEmpties_AndCaps()
    {
        var many = Enumerable.Range(0, 40).Select(i => "pw" + i).Prepend("").Prepend("pw0");

        var combined = PasswordSources.Combine(many);

        Assert.HasCount(PasswordSources.MaxPasswords, combined);
        Assert.AreEqual("pw0", combined[0]);
    }

    [TestMethod]
    public void LockedPfx_PasswordFromUserSecrets_OpensIt()
    {
        using var p = new WebProject().Pfx("site.pfx", "secret-pw", WebProject.Leaf, WebProject.Intermediate)
            .Settings(WebProject.Endpoint("""{ "Path": "site.pfx" }"""));
        var passwords = PasswordSources.FromUserSecrets(Encoding.UTF8.GetBytes("""{ "Kestrel:Certificates:Default:Password": "secret-pw" }"""));

        var result = p.Lint(r => new LintRequest { Paths = r.Paths, Now = r.Now, SourceRoot = r.SourceRoot, PfxPasswords = PasswordSources.Combine(passwords) });

        Assert.IsFalse(result.Diagnostics.Any(d => d.Id == "MST0002"));
        Assert.IsTrue(result.Diagnostics.Any(d => d.Id == "MST3001"), string.Join("\n", result.Diagnostics.Select(d => d.Id)));
    }
}

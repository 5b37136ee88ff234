namespace MustStaple.EndToEnd.Tests;

/// <summary>
/// The headline case when the PFX password is where ASP.NET Core guidance puts it, not in appsettings: the build reads
/// the project's user secrets and the variables MustStaplePfxPasswordEnv names, judges the PFX (MST3001 instead of
/// MST0002), never prints the password, and says at normal verbosity that it ran.
/// </summary>
[TestClass]
public sealed class BuildPasswordTests
{
    private const string Password = "sample-password";

    [TestMethod]
    public void PasswordInUserSecrets_PfxIsJudged_Mst3001_PasswordNeverPrinted_SummaryAtNormalVerbosity()
    {
        // arrange: the sample without its Password, the password in the SDK's user secrets file of a fresh HOME
        var app = WithoutPassword("<UserSecretsId>muststaple-e2e-secrets</UserSecretsId>");
        var home = Directory.CreateDirectory(Path.Combine(app, "..", Path.GetFileName(app) + "-home")).FullName;
        var secrets = Directory.CreateDirectory(Path.Combine(home, ".microsoft", "usersecrets", "muststaple-e2e-secrets")).FullName;
        File.WriteAllText(Path.Combine(secrets, "secrets.json"), $$"""{ "Kestrel:Endpoints:Https:Certificate:Password": "{{Password}}" }""");

        // act
        var (code, output) = Sdk.Run(app, "build -nologo -v:n -p:MustStapleNow=2026-01-15T00:00:00Z", Feed.Packages, environment: [("HOME", home), ("DOTNET_CLI_HOME", home)]);

        // assert
        Assert.AreNotEqual(0, code, output);
        StringAssert.Contains(output, "appsettings.json(9,34): error MST3001");
        Assert.DoesNotContain("MST0002", output);
        Assert.DoesNotContain(Password, output);
        Assert.MatchesRegex(new System.Text.RegularExpressions.Regex(@"MustStaple: \d+ files read, 1 errors, 0 warnings, 0 notes"), output);
    }

    [TestMethod]
    public void PasswordInAVariableNamedByMustStaplePfxPasswordEnv_PfxIsJudged_WithoutIt_Mst0002NamesTheProperty()
    {
        // arrange
        var app = WithoutPassword("");

        // act
        var (code, output) = Sdk.Run(app, "build -nologo -p:MustStapleNow=2026-01-15T00:00:00Z -p:MustStaplePfxPasswordEnv=SITE_PFX_PASSWORD", Feed.Packages,
            environment: [("SITE_PFX_PASSWORD", Password)]);
        var (lockedCode, locked) = Sdk.Run(app, "build -nologo -p:MustStapleNow=2026-01-15T00:00:00Z", Feed.Packages);

        // assert
        Assert.AreNotEqual(0, code, output);
        StringAssert.Contains(output, "error MST3001");
        Assert.DoesNotContain(Password, output);
        Assert.AreEqual(0, lockedCode, locked);
        StringAssert.Contains(locked, "warning MST0002");
        StringAssert.Contains(locked, "MustStaplePfxPasswordEnv");
        Assert.DoesNotContain("--pfx-password-env", locked);
    }

    private static string WithoutPassword(string property)
    {
        var app = Feed.CopySample("WebApp.Pfx");
        var settings = Path.Combine(app, "appsettings.json");
        File.WriteAllText(settings, File.ReadAllText(settings).Replace($", \"Password\": \"{Password}\"", "", StringComparison.Ordinal));
        var project = Path.Combine(app, "WebApp.Pfx.csproj");
        File.WriteAllText(project, File.ReadAllText(project)
            .Replace("<PackageReference Include=\"MustStaple.Build\" Version=\"*-*\"", $"<PackageReference Include=\"MustStaple.Build\" Version=\"{Feed.Version}\"", StringComparison.Ordinal)
            .Replace("<SelfContained>false</SelfContained>", "<SelfContained>false</SelfContained>\n    " + property, StringComparison.Ordinal));
        return app;
    }
}

namespace MustStaple.Diagnostics;

/// <summary>Which door the run came through: advice names the MSBuild property in a build and the flag in the CLI.</summary>
public enum LintFront
{
    /// <summary><c>dotnet muststaple-lint</c>: options are flags.</summary>
    Cli,

    /// <summary>The MSBuild task: options are <c>MustStaple*</c> properties.</summary>
    Build,
}

/// <summary>
/// Advice that depends on the front (<see cref="LintFront"/>). A message argument of this type is our own text, not
/// file content, and is no fact of the finding: the fingerprint stays the same whichever front reported it.
/// </summary>
public sealed class FrontText
{
    private FrontText(string text) => Text = text;

    /// <summary>The advice.</summary>
    public string Text { get; }

    /// <inheritdoc/>
    public override string ToString() => Text;

    /// <summary>How to name the target platform.</summary>
    public static FrontText TargetOs(LintFront front) => new(front == LintFront.Build
        ? "Set the MustStapleTargetOS property (linux, windows or osx), a RuntimeIdentifier, or a Dockerfile"
        : "Pass --target-os linux|windows|osx, or give the project a RuntimeIdentifier or a Dockerfile");

    /// <summary>How to hand the lint a PFX password without writing it into a file.</summary>
    public static FrontText PfxPassword(LintFront front) => new(front == LintFront.Build
        ? "Keep the password where ASP.NET Core reads it and the build finds it: the project's user secrets (dotnet user-secrets set \"Kestrel:Certificates:Default:Password\" …), a Kestrel__…__Password variable, or a variable named in the MustStaplePfxPasswordEnv property"
        : "Name the environment variable that holds the password with --pfx-password-env NAME (a Kestrel__…__Password variable is tried when set)");
}

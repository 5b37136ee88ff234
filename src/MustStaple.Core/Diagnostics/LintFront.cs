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
/// file content, and is no fact of the finding: the fingerprint stays the same whichever front reported it. Its words
/// are in Localization/Diagnostics.resx, rendered in the message's language.
/// </summary>
public sealed class FrontText
{
    private readonly Localization.LocalizedText _text;

    private FrontText(Localization.LocalizedText text) => _text = text;

    /// <summary>The advice in English.</summary>
    public string Text => _text.English;

    /// <summary>The advice in <paramref name="culture"/>.</summary>
    public string ToString(System.Globalization.CultureInfo culture) => _text.ToString(culture);

    /// <summary>The advice in English (as <see cref="Localization.LocalizedText.ToString()"/>).</summary>
    public override string ToString() => Text;

    /// <summary>How to name the target platform.</summary>
    public static FrontText TargetOs(LintFront front) =>
        new(Localization.Texts.Diagnostics.Text(front == LintFront.Build ? "FrontText.TargetOs.Build" : "FrontText.TargetOs.Cli"));

    /// <summary>How to hand the lint a PFX password without writing it into a file.</summary>
    public static FrontText PfxPassword(LintFront front) =>
        new(Localization.Texts.Diagnostics.Text(front == LintFront.Build ? "FrontText.PfxPassword.Build" : "FrontText.PfxPassword.Cli"));
}

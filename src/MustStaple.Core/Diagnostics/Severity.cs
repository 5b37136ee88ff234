namespace MustStaple.Diagnostics;

/// <summary>How a finding is reported. Ordered so that a larger value is more severe.</summary>
public enum Severity
{
    /// <summary>Not reported (<c>none</c> in .editorconfig, or suppressed with NoWarn).</summary>
    None = 0,

    /// <summary>Informational (<c>suggestion</c> in .editorconfig, <c>note</c> in SARIF, a message in MSBuild).</summary>
    Note = 1,

    /// <summary>A warning: the build goes on.</summary>
    Warning = 2,

    /// <summary>An error: the build fails and the CLI exits with 1.</summary>
    Error = 3,
}

/// <summary>Conversions between <see cref="Severity"/> and its spellings in text output, SARIF and .editorconfig.</summary>
public static class SeverityText
{
    /// <summary>The word MSBuild's canonical format uses: <c>error</c>, <c>warning</c> or <c>info</c>.</summary>
    public static string ToCanonical(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "info",
    };

    /// <summary>The SARIF <c>level</c>: <c>error</c>, <c>warning</c>, <c>note</c> or <c>none</c>.</summary>
    public static string ToSarifLevel(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        Severity.Note => "note",
        _ => "none",
    };

    /// <summary>Parses an .editorconfig severity (<c>error|warning|suggestion|silent|none</c>, also <c>info</c>/<c>note</c>).</summary>
    public static bool TryParseConfig(string? text, out Severity severity)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "ERROR": severity = Severity.Error; return true;
            case "WARNING": severity = Severity.Warning; return true;
            case "SUGGESTION" or "INFO" or "NOTE": severity = Severity.Note; return true;
            case "NONE" or "SILENT": severity = Severity.None; return true;
            default: severity = Severity.None; return false;
        }
    }
}

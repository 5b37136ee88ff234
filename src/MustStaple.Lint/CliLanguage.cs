using System.Globalization;

namespace MustStaple.Lint;

/// <summary>
/// The language of everything the CLI prints: <c>--lang en|ja</c>, else <c>DOTNET_CLI_UI_LANGUAGE</c> (as the .NET SDK
/// reads it), else the POSIX locale (<c>LC_ALL</c>, <c>LC_MESSAGES</c>, <c>LANG</c>: <c>ja_JP.UTF-8</c> is Japanese,
/// <c>C</c> and <c>POSIX</c> English), else the current UI culture. Set as the process's UI culture, so the engine's
/// messages, the CLI's texts and System.CommandLine's help read alike.
/// </summary>
internal static class CliLanguage
{
    /// <summary>The values <c>--lang</c> accepts.</summary>
    public static readonly string[] Values = ["en", "ja"];

    /// <summary>The environment variables that name the language, in the order they are read.</summary>
    public static readonly string[] Variables = ["DOTNET_CLI_UI_LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"];

    /// <summary>
    /// Chooses the language for <paramref name="args"/> and makes it the UI culture; returns a usage error (in the
    /// language the environment chose) when <c>--lang</c> has no value or one it does not accept, null otherwise.
    /// </summary>
    public static string? Apply(string[] args, Func<string, string?> environment)
    {
        Use(FromEnvironment(environment) ?? CultureInfo.CurrentUICulture);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--") break;
            string? value;
            if (args[i] == "--lang") value = i + 1 < args.Length ? args[i + 1] : null;
            else if (args[i].StartsWith("--lang=", StringComparison.Ordinal) || args[i].StartsWith("--lang:", StringComparison.Ordinal)) value = args[i].Substring(7);
            else continue;
            if (value is null || !Values.Contains(value.Trim(), StringComparer.OrdinalIgnoreCase))
                return CliText.Get("Usage.Lang", value ?? "", string.Join("|", Values));
            Use(Create(value.Trim().ToLowerInvariant())!);
        }
        return null;
    }

    /// <summary><paramref name="args"/> without <c>--lang</c> and its value (for commands that take no options).</summary>
    public static string[] Strip(string[] args)
    {
        var result = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--lang") { i++; continue; }
            if (args[i].StartsWith("--lang=", StringComparison.Ordinal) || args[i].StartsWith("--lang:", StringComparison.Ordinal)) continue;
            result.Add(args[i]);
        }
        return result.ToArray();
    }

    /// <summary>The culture the environment names (the first variable set to a usable value), or null.</summary>
    public static CultureInfo? FromEnvironment(Func<string, string?> environment)
    {
        foreach (var name in Variables)
        {
            if (environment(name) is not { Length: > 0 } value) continue;
            if (Create(Normalize(value)) is { } culture) return culture;
        }
        return null;
    }

    // The language only, which is what the resources are written in: "ja_JP.UTF-8" → "ja"; "de_DE@euro" → "de";
    // "C", "POSIX" → "" (English, the neutral resources). Under invariant globalization a region culture (ja-JP) has
    // no parent, so it would never find the ja resources.
    internal static string Normalize(string value)
    {
        var name = value.Trim();
        var cut = name.IndexOfAny(['.', '@', '_', '-']);
        if (cut >= 0) name = name.Substring(0, cut);
        return name is "C" or "POSIX" ? "" : name.ToLowerInvariant();
    }

    // Under InvariantGlobalization a culture other than the invariant one exists only because the project sets
    // PredefinedCulturesOnly=false: it has the invariant culture's formats but its own name, which is all resource
    // lookup needs (ja → ja/*.resources.dll).
    private static CultureInfo? Create(string name)
    {
        if (name.Length == 0) return CultureInfo.InvariantCulture;
        try
        {
            return CultureInfo.GetCultureInfo(name);
        }
        catch (CultureNotFoundException)
        {
            return null;
        }
    }

    private static void Use(CultureInfo culture)
    {
        CultureInfo.CurrentUICulture = culture;
        CultureInfo.DefaultThreadCurrentUICulture = culture;
    }
}

/// <summary>The CLI's own texts: <c>CliText.resx</c> (English) and its translations.</summary>
internal static class CliText
{
    private static readonly MustStaple.Localization.TextCatalog Catalog = new("MustStaple.Lint.CliText", typeof(CliText).Assembly);

    /// <summary>The text <paramref name="key"/> in the current UI culture.</summary>
    public static string Get(string key, params object?[] args) => Catalog.Get(key, args);
}

using System.Globalization;
using System.Reflection;
using System.Resources;

namespace MustStaple.Localization;

/// <summary>
/// A text of ours (never file content) in whichever language it is read: a resource key and its arguments, rendered
/// when asked. A message renders it in the run's UI culture; SARIF fingerprints (<see cref="Diagnostics.Diagnostic.Facts"/>)
/// render it in English (<see cref="English"/>), so a fingerprint never changes with the language. <see cref="ToString()"/>
/// is English too: a text interpolated into a string that is not yet localized stays English and stable, never half
/// translated; only <see cref="ToString(CultureInfo)"/> renders a language.
/// </summary>
public sealed class LocalizedText
{
    private readonly TextCatalog? _catalog;
    private readonly object?[] _args;
    private readonly Func<CultureInfo, string>? _render;

    internal LocalizedText(TextCatalog catalog, string key, object?[] args)
    {
        _catalog = catalog;
        Key = key;
        _args = args;
    }

    private LocalizedText(Func<CultureInfo, string> render)
    {
        Key = "";
        _args = [];
        _render = render;
    }

    /// <summary>Text that reads the same in every language (a configuration key, a name) where a <see cref="LocalizedText"/> is expected.</summary>
    public static LocalizedText Plain(string text) => new(_ => text);

    /// <summary><paramref name="items"/> (texts or values) as one list, each rendered in the list's language ("a, b" / "a、b").</summary>
    public static LocalizedText Join(IEnumerable<object?> items)
    {
        var list = items.ToArray();
        return new(c => string.Join(Texts.Diagnostics.Format("List.Separator", c), list.Select(i => Render(i, c))));
    }

    /// <summary>The resource name, e.g. <c>ChainVerdicts.Fix.Sni</c>.</summary>
    public string Key { get; }

    /// <summary>
    /// The text in <paramref name="culture"/> (English when the culture has no translation). Arguments that are
    /// themselves <see cref="LocalizedText"/> render in the same culture; numbers and dates in the invariant culture.
    /// A text without arguments is not a format: its braces are literal (<c>${APACHE_RUN_DIR}</c>).
    /// </summary>
    public string ToString(CultureInfo culture)
    {
        if (_render is not null) return _render(culture);
        var format = _catalog!.Format(Key, culture);
        return _args.Length == 0 ? format : string.Format(CultureInfo.InvariantCulture, format, _args.Select(a => Render(a, culture)).ToArray());
    }

    /// <summary>The text in English (the neutral resources): what fingerprints and the sort order are built from.</summary>
    public string English => ToString(CultureInfo.InvariantCulture);

    /// <summary>The text in English (see the class remarks); <see cref="ToString(CultureInfo)"/> renders a language.</summary>
    public override string ToString() => English;

    /// <summary>Two texts are the same text when they say the same in English (records that hold texts compare by content).</summary>
    public override bool Equals(object? obj) => obj is LocalizedText other && string.Equals(English, other.English, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(English);

    /// <summary><paramref name="value"/> rendered in <paramref name="culture"/> when it is one of our texts; as it is otherwise.</summary>
    public static object? Render(object? value, CultureInfo culture) => value switch
    {
        LocalizedText t => t.ToString(culture),
        Diagnostics.FrontText f => f.ToString(culture),
        _ => value,
    };
}

/// <summary>
/// One area's resources (<c>Localization/&lt;Area&gt;.resx</c> and its <c>.ja.resx</c>): the texts that area composes.
/// One catalog per area so areas can be translated independently (see <see cref="Texts"/>).
/// </summary>
public sealed class TextCatalog
{
    private readonly ResourceManager _resources;

    /// <summary>The catalog of the resources named <paramref name="baseName"/> in <paramref name="assembly"/>.</summary>
    public TextCatalog(string baseName, Assembly assembly) => _resources = new ResourceManager(baseName, assembly);

    internal TextCatalog(string area) : this("MustStaple.Localization." + area, typeof(TextCatalog).Assembly) { }

    /// <summary>The text <paramref name="key"/> with <paramref name="args"/>, rendered when read.</summary>
    public LocalizedText Text(string key, params object?[] args) => new(this, key, args);

    /// <summary>The text <paramref name="key"/> with <paramref name="args"/> in the current UI culture.</summary>
    public string Get(string key, params object?[] args) => Text(key, args).ToString(CultureInfo.CurrentUICulture);

    /// <summary>The raw resource <paramref name="key"/> in <paramref name="culture"/> (English when not translated).</summary>
    public string Format(string key, CultureInfo culture) =>
        _resources.GetString(key, culture) ?? throw new InvalidOperationException($"No resource '{key}' in {_resources.BaseName}.");
}

/// <summary>The catalogs of Core, one per area (each declared in its own file, <c>Texts.&lt;Area&gt;.cs</c>), and the languages.</summary>
public static partial class Texts
{
    /// <summary>The languages the texts exist in, the neutral one (English) first.</summary>
    public static IReadOnlyList<string> Languages { get; } = ["en", "ja"];

    /// <summary>
    /// The language texts rendered in <paramref name="culture"/> are written in, as SARIF names it
    /// (<c>runs[0].language</c>): <c>ja</c>, else <c>en-US</c> (every other culture reads English).
    /// </summary>
    public static string LanguageOf(CultureInfo culture) => IsJapanese(culture) ? "ja" : "en-US";

    /// <summary>Whether <paramref name="culture"/> (or a parent) is Japanese.</summary>
    public static bool IsJapanese(CultureInfo culture) =>
        culture.Name.Equals("ja", StringComparison.OrdinalIgnoreCase) || culture.Name.StartsWith("ja-", StringComparison.OrdinalIgnoreCase);
}

using System;
using System.Globalization;
using System.Resources;
using Microsoft.CodeAnalysis;

namespace MustStaple.Analyzers;

/// <summary>
/// The analyzer's texts: <c>Resources.resx</c> (English, neutral) and <c>Resources.ja.resx</c> (the <c>ja</c> satellite
/// beside the analyzer). Roslyn words a diagnostic in the culture it formats with (csc's <c>/preferreduilang</c>, Visual
/// Studio's language), not the one the analyzer ran under, so nothing here is resolved early.
/// </summary>
internal static class Resources
{
    public static ResourceManager ResourceManager { get; } = new("MustStaple.Analyzers.Resources", typeof(Resources).Assembly);

    /// <summary>A descriptor text (<c>MST3001_Title</c>…).</summary>
    public static LocalizableString Text(string name) => new LocalizableResourceString(name, ResourceManager, typeof(Resources));
}

/// <summary>
/// A phrase composed into a message argument (a cause, a fix, a reason), worded when the diagnostic is: Roslyn formats
/// arguments with the same provider as the message format, and <see cref="IFormattable"/> arguments receive it.
/// Arguments may be phrases themselves; code names and paths stay as they are.
/// </summary>
internal sealed class Phrase : IFormattable
{
    private readonly string _name;
    private readonly object[] _args;

    public Phrase(string name, params object[] args)
    {
        _name = name;
        _args = args;
    }

    public string ToString(string? format, IFormatProvider? formatProvider)
    {
        // No provider (ToString()): the ResourceManager's own default, the current UI culture.
        var text = Resources.ResourceManager.GetString(_name, formatProvider as CultureInfo) ?? _name;
        return _args.Length == 0 ? text : string.Format(formatProvider, text, _args);
    }

    public override string ToString() => ToString(null, null);
}

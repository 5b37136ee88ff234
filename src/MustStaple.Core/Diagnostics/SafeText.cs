using System.Text;

namespace MustStaple.Diagnostics;

/// <summary>
/// The one place file-derived text (paths, values, subjects, names) is made safe to print: control and
/// line-breaking characters become visible escapes, so no value can start a new line, forge a GitHub workflow
/// command (<c>::error …</c>) or an MSBuild canonical line; and a value longer than the cap is cut with an ellipsis,
/// so a multi-megabyte value never reaches the console, a build log or SARIF. Every message argument goes through it
/// (<see cref="DiagnosticDescriptor"/>), and every sink prints paths through <see cref="CanonicalFormatter.DisplayPath"/>.
/// </summary>
public static class SafeText
{
    /// <summary>The longest embedded value (in UTF-16 code units, before escaping) a message carries.</summary>
    public const int MaxValueLength = 200;

    /// <summary>The longest path a sink prints; real paths are far shorter (PATH_MAX is 4096 bytes).</summary>
    public const int MaxPathLength = 1024;

    /// <summary>The ellipsis that marks a cut value.</summary>
    public const string Ellipsis = "…";

    /// <summary><paramref name="text"/> with control characters escaped and cut to <paramref name="maxLength"/> characters.</summary>
    public static string Escape(string? text, int maxLength = MaxValueLength)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var cut = text!.Length > maxLength;
        var length = cut ? maxLength : text.Length;
        if (cut && char.IsHighSurrogate(text[length - 1])) length--; // never split a surrogate pair
        StringBuilder? sb = null;
        for (var i = 0; i < length; i++)
        {
            var c = text[i];
            string? escape = null;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb?.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }
            if (NeedsEscape(c))
            {
                escape = c switch
                {
                    '\n' => "\\n",
                    '\r' => "\\r",
                    '\t' => "\\t",
                    _ => "\\u" + ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture),
                };
            }
            if (escape is null)
            {
                sb?.Append(c);
                continue;
            }
            sb ??= new StringBuilder(text, 0, i, length + 16);
            sb.Append(escape);
        }
        var result = sb?.ToString() ?? (cut ? text.Substring(0, length) : text);
        return cut ? result + Ellipsis : result;
    }

    /// <summary>A path as a sink prints it: escaped, capped, and never starting with <c>::</c> (a workflow command), even after leading white space.</summary>
    public static string Path(string path)
    {
        var escaped = Escape(path, MaxPathLength);
        return TrimmedStartsWithCommand(escaped) ? "./" + escaped : Line(escaped);
    }

    /// <summary>
    /// The last step of every sink, for every line it prints (and every fragment a host prints at a line's start or
    /// inside it, such as MSBuild's file and message): no CI runner can read a command in it. GitHub's runner trims any
    /// leading white space (<see cref="char.IsWhiteSpace(char)"/>) and runs a line starting with <c>::</c>; its legacy
    /// parser runs <c>##[cmd]</c> anywhere in a line, and Azure Pipelines runs <c>##vso[cmd]</c> anywhere in a line.
    /// So the <c>#</c> before such a <c>[</c> or <c>vso[</c> is written <c>\u0023</c>, and a leading <c>:</c> <c>\u003A</c>
    /// (both are also JSON's escapes for the same characters: a JSON document printed through it stays the same data).
    /// A sink that prints its own command (GitHub's <c>::error</c>, Azure's <c>##vso[task.logissue]</c>) passes only the
    /// content through it, then adds the command.
    /// </summary>
    public static string Line(string? line)
    {
        if (string.IsNullOrEmpty(line)) return line ?? "";
        var text = line!;
        if (text.Contains("##"))
        {
            var sb = new StringBuilder(text.Length + 8);
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] == '#' && i + 1 < text.Length && text[i + 1] == '#' && StartsCommand(text, i + 2))
                {
                    sb.Append('#').Append("\\u0023");
                    i++;
                    continue;
                }
                sb.Append(text[i]);
            }
            text = sb.ToString();
        }
        if (TrimmedStartsWithCommand(text))
        {
            var colon = text.IndexOf(':');
            text = new StringBuilder(text, text.Length + 6).Remove(colon, 1).Insert(colon, "\\u003A").ToString();
        }
        return text;
    }

    // After "##": "[" (GitHub's legacy parser) or "vso[" in any case (Azure Pipelines).
    private static bool StartsCommand(string text, int at) =>
        (at < text.Length && text[at] == '[')
        || (at + 3 < text.Length && string.Compare(text, at, "vso", 0, 3, StringComparison.OrdinalIgnoreCase) == 0 && text[at + 3] == '[');

    private static bool TrimmedStartsWithCommand(string text)
    {
        var i = 0;
        while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
        return i + 1 < text.Length && text[i] == ':' && text[i + 1] == ':';
    }

    // C0 and C1 controls, DEL, line/paragraph separators, bidirectional overrides (which reorder what a reader sees),
    // and unpaired surrogates (not valid UTF-8 when written).
    private static bool NeedsEscape(char c) =>
        c < ' ' || (c >= '\u007F' && c <= '\u009F') || c == '\u2028' || c == '\u2029' || c == '\u0085'
        || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') || c == '\u061C' || c == '\u200E' || c == '\u200F'
        || char.IsSurrogate(c);
}

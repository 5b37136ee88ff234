using System.Text;

namespace MustStaple.Acme;

/// <summary>One word of a command line as a shell would split it (quotes removed), with where it starts (1-based).</summary>
internal readonly record struct Word(string Text, int Line, int Column, int Length, bool Separator = false);

/// <summary>
/// Shell-like splitting of the lines around a must-staple switch into the one command it belongs to: continuation
/// lines (<c>\</c>, PowerShell's backtick, cmd's <c>^</c>), YAML sequence items and folded scalars are joined, and the
/// command ends at <c>;</c>, <c>|</c>, <c>&amp;&amp;</c> or <c>||</c>. Bounded: a command spans at most
/// <see cref="MaxLines"/> lines and <see cref="MaxWords"/> words, whatever the file holds.
/// </summary>
internal static class CommandLine
{
    public const int MaxLines = 64;
    public const int MaxWords = 512;

    /// <summary>The words of the command that holds column <paramref name="column"/> (1-based) of line <paramref name="index"/> (0-based).</summary>
    public static List<Word> Around(IReadOnlyList<string> lines, int index, int column, bool yaml)
    {
        var (first, last) = yaml ? YamlSpan(lines, index) : (index, index);
        // Continuation characters extend the span both ways.
        while (first > 0 && index - first < MaxLines && Continues(lines[first - 1])) first--;
        while (last < lines.Count - 1 && last - index < MaxLines && Continues(lines[last])) last++;
        var words = new List<Word>();
        for (var i = first; i <= last && words.Count < MaxWords; i++) Split(lines[i], i + 1, words, yaml);
        // The command is the run of words between separators that holds the switch.
        var start = 0;
        var end = words.Count;
        for (var i = 0; i < words.Count; i++)
        {
            if (!words[i].Separator) continue;
            if (Before(words[i], index + 1, column)) start = i + 1;
            else { end = i; break; }
        }
        return words.GetRange(start, end - start);
    }

    private static bool Before(Word w, int line, int column) => w.Line < line || (w.Line == line && w.Column < column);

    private static bool Continues(string line)
    {
        var t = line.TrimEnd();
        return t.Length > 0 && t[t.Length - 1] is '\\' or '`' or '^';
    }

    // YAML: a sequence item joins its sibling items (command: [- certonly, - --must-staple]); a folded scalar (>) joins
    // its lines. A literal block (|) keeps its lines apart: each is a shell line.
    private static (int First, int Last) YamlSpan(IReadOnlyList<string> lines, int index)
    {
        var indent = Indent(lines[index]);
        var item = lines[index].TrimStart().StartsWith("- ", StringComparison.Ordinal);
        var header = index - 1;
        while (header >= 0 && index - header <= MaxLines && (lines[header].Trim().Length == 0 || Indent(lines[header]) >= indent)) header--;
        var folded = header >= 0 && lines[header].TrimEnd() is { } h && (h is [.., '>'] || h.EndsWith(">-", StringComparison.Ordinal) || h.EndsWith(">+", StringComparison.Ordinal));
        if (!item && !folded) return (index, index);
        bool Sibling(string l) => Indent(l) == indent && (!item || l.TrimStart().StartsWith("- ", StringComparison.Ordinal));
        var first = index;
        while (first > 0 && index - first < MaxLines && Sibling(lines[first - 1])) first--;
        var last = index;
        while (last < lines.Count - 1 && last - index < MaxLines && Sibling(lines[last + 1])) last++;
        return (first, last);
    }

    private static int Indent(string line)
    {
        var i = 0;
        while (i < line.Length && line[i] == ' ') i++;
        return i;
    }

    // Splits one line: quotes group and are removed, '#' at a word start begins a comment, ; | && || separate commands,
    // JSON array punctuation ([ ] ,) between quoted words is dropped (CMD ["certbot", "--must-staple"]).
    private static void Split(string line, int lineNo, List<Word> words, bool yaml)
    {
        var i = 0;
        if (yaml)
        {
            while (i < line.Length && line[i] == ' ') i++;
            if (i + 1 < line.Length && line[i] == '-' && line[i + 1] == ' ') i += 2;
        }
        var sb = new StringBuilder();
        while (i < line.Length && words.Count < MaxWords)
        {
            var c = line[i];
            if (char.IsWhiteSpace(c) || c == '\\' && i == line.Length - 1) { i++; continue; }
            if (c == '#') return;
            if (c == ';' || c == '|' || (c == '&' && i + 1 < line.Length && line[i + 1] == '&'))
            {
                var len = i + 1 < line.Length && line[i + 1] == c ? 2 : 1;
                words.Add(new Word(line.Substring(i, len), lineNo, i + 1, len, Separator: true));
                i += len;
                continue;
            }
            if (c is '[' or ']' or ',' && (i + 1 >= line.Length || line[i + 1] is '"' or '\'' or ' ' or ']' or ',')) { i++; continue; }
            var start = i;
            sb.Clear();
            char quote = '\0';
            while (i < line.Length)
            {
                c = line[i];
                if (quote != '\0')
                {
                    if (c == quote) quote = '\0';
                    else sb.Append(c);
                    i++;
                    continue;
                }
                if (c is '"' or '\'') { quote = c; i++; continue; }
                if (char.IsWhiteSpace(c) || c == ';' || c == '|' || (c == '&' && i + 1 < line.Length && line[i + 1] == '&')) break;
                if (c is ',' or ']' && i + 1 <= line.Length && sb.Length > 0 && start < i && line[i - 1] is '"' or '\'') break;
                sb.Append(c);
                i++;
            }
            if (sb.Length > 0) words.Add(new Word(sb.ToString(), lineNo, start + 1, i - start));
        }
    }
}

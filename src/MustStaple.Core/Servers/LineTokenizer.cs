using System.Text;

namespace MustStaple.Servers;

/// <summary>Splits one line of a line-oriented configuration (HAProxy, Apache, Caddyfile) into words with positions.</summary>
internal static class LineTokenizer
{
    /// <summary>
    /// The words of <paramref name="line"/> (1-based <paramref name="lineNumber"/>): whitespace-separated, "double" and
    /// 'single' quotes grouping, backslash escaping; a '#' starting a word begins a comment.
    /// </summary>
    public static List<Token> Split(string line, int lineNumber)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < line.Length)
        {
            if (char.IsWhiteSpace(line[i])) { i++; continue; }
            if (line[i] == '#') break;
            var start = i;
            var sb = new StringBuilder();
            var quoted = false;
            while (i < line.Length && !char.IsWhiteSpace(line[i]))
            {
                var c = line[i];
                if (c is '"' or '\'')
                {
                    quoted = true;
                    i++;
                    while (i < line.Length && line[i] != c)
                    {
                        if (line[i] == '\\' && i + 1 < line.Length) i++;
                        sb.Append(line[i++]);
                    }
                    i++;
                    continue;
                }
                if (c == '\\' && i + 1 < line.Length) i++;
                sb.Append(line[i++]);
            }
            tokens.Add(new Token(sb.ToString(), lineNumber, start + 1, Math.Min(i, line.Length) - start, quoted));
        }
        return tokens;
    }

    /// <summary>The lines of <paramref name="text"/> without their line ends.</summary>
    public static string[] Lines(string text) => text.Replace("\r\n", "\n").Split('\n');
}

using System.Text;
using MustStaple.Diagnostics;
using MustStaple.Discovery;

namespace MustStaple.Servers.Nginx;

/// <summary>
/// Parses nginx configuration syntax into a tree of directives with positions, splicing <c>include</c> files in place
/// (relative to the configuration prefix, as nginx resolves them). Syntax errors become problems, never exceptions.
/// </summary>
internal static class NginxParser
{
    /// <summary>Where the official images keep the configuration; such absolute paths map onto the prefix folder.</summary>
    public static readonly IReadOnlyList<string> ContainerPrefixes = ["/etc/nginx/", "/usr/local/nginx/conf/", "/usr/local/etc/nginx/"];

    public static List<ConfigNode> Parse(string path, string prefix, ConfigFiles files, HashSet<string>? included = null, int depth = 0, SourceLocation? from = null)
    {
        if (included is not null) ConfigFiles.MarkRead(included, path);
        var text = files.ReadText(path, from);
        if (text is null) return [];
        var tokens = Tokenize(text, path, files);
        var pos = 0;
        var nodes = ParseBlock(tokens, ref pos, path, prefix, files, included, depth, 0);
        return nodes;
    }

    // Recursive in blocks, bounded by the run's depth limit (an MST0001 past it, never a stack overflow).
    private static List<ConfigNode> ParseBlock(List<Token> tokens, ref int pos, string path, string prefix, ConfigFiles files,
        HashSet<string>? included, int depth, int blockDepth)
    {
        files.Depth(blockDepth);
        var topLevel = blockDepth == 0;
        var nodes = new List<ConfigNode>();
        while (pos < tokens.Count)
        {
            var name = tokens[pos];
            if (!name.Quoted && name.Text == "}")
            {
                if (topLevel) { files.Problem(name.At(path), $"unexpected '}}' in '{Path.GetFileName(path)}'"); pos++; continue; }
                pos++;
                return nodes;
            }
            if (!name.Quoted && (name.Text == ";" || name.Text == "{"))
            {
                files.Problem(name.At(path), $"unexpected '{name.Text}' in '{Path.GetFileName(path)}'");
                pos++;
                continue;
            }
            pos++;
            files.Charge(WorkKind.Nodes);
            var args = new List<Token>();
            while (pos < tokens.Count && (tokens[pos].Quoted || tokens[pos].Text is not (";" or "{" or "}"))) args.Add(tokens[pos++]);
            var directive = Token.ToDirective(path, name, args);
            if (pos >= tokens.Count || tokens[pos].Text == "}")
            {
                files.Problem(directive.Location, $"directive '{name.Text}' in '{Path.GetFileName(path)}' is not terminated by ';'");
                continue;
            }
            if (tokens[pos++].Text == "{")
            {
                var children = ParseBlock(tokens, ref pos, path, prefix, files, included, depth, blockDepth + 1);
                nodes.Add(new ConfigNode(directive, children));
                continue;
            }
            if (name.Text == "include" && args.Count == 1)
            {
                if (depth >= ConfigFiles.MaxDepth)
                {
                    files.Problem(directive.Location, $"includes nest deeper than {ConfigFiles.MaxDepth} levels; '{args[0].Text}' was not read");
                    continue;
                }
                // Each included file is parsed once per run and charged at every use (ConfigFiles.Included).
                foreach (var file in files.Expand(args[0].Text, prefix, ContainerPrefixes, args[0].At(path), optional: false))
                    nodes.AddRange(files.Included(file, "nginx:" + prefix, () => Parse(file, prefix, files, included, depth + 1, args[0].At(path))));
                continue;
            }
            nodes.Add(new ConfigNode(directive, null));
        }
        if (!topLevel) files.Problem(SourceLocation.StartOf(path), $"'{Path.GetFileName(path)}' ends inside a block: a '}}' is missing");
        return nodes;
    }

    /// <summary>Splits nginx syntax: words, quoted strings (with backslash escapes), ';', '{', '}', '#' comments.</summary>
    internal static List<Token> Tokenize(string text, string path, ConfigFiles files)
    {
        var tokens = new List<Token>();
        int line = 1, lineStart = 0, i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n') { line++; lineStart = ++i; continue; }
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '#') { while (i < text.Length && text[i] != '\n') i++; continue; }
            var column = i - lineStart + 1;
            if (c is ';' or '{' or '}') { tokens.Add(new Token(c.ToString(), line, column, 1, false)); i++; continue; }
            if (c is '"' or '\'')
            {
                var sb = new StringBuilder();
                var start = i++;
                var startLine = line;
                while (i < text.Length && text[i] != c)
                {
                    if (text[i] == '\\' && i + 1 < text.Length) i++;
                    if (text[i] == '\n') { line++; lineStart = i + 1; }
                    sb.Append(text[i++]);
                }
                if (i >= text.Length) { files.Problem(SourceLocation.OnLine(path, startLine, column, 1), $"unterminated quoted string in '{Path.GetFileName(path)}'"); break; }
                i++;
                tokens.Add(new Token(sb.ToString(), startLine, column, startLine == line ? i - start : 1, true));
                continue;
            }
            var wordStart = i;
            var word = new StringBuilder();
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not (';' or '{' or '}'))
            {
                if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '{')
                {
                    while (i < text.Length && text[i] != '}' && text[i] != '\n') word.Append(text[i++]);
                    if (i < text.Length && text[i] == '}') word.Append(text[i++]);
                    continue;
                }
                if (text[i] == '\\' && i + 1 < text.Length) i++;
                word.Append(text[i++]);
            }
            tokens.Add(new Token(word.ToString(), line, column, i - wordStart, false));
        }
        return tokens;
    }
}

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
                if (topLevel) { files.SyntaxProblem(name.At(path), $"unexpected '}}' in '{Path.GetFileName(path)}'"); pos++; continue; }
                pos++;
                return nodes;
            }
            if (!name.Quoted && (name.Text == ";" || name.Text == "{"))
            {
                files.SyntaxProblem(name.At(path), $"unexpected '{name.Text}' in '{Path.GetFileName(path)}'");
                pos++;
                continue;
            }
            pos++;
            var args = new List<Token>();
            while (pos < tokens.Count && (tokens[pos].Quoted || tokens[pos].Text is not (";" or "{" or "}"))) args.Add(tokens[pos++]);
            var directive = Token.ToDirective(path, name, args);
            if (pos >= tokens.Count || tokens[pos].Text == "}")
            {
                files.SyntaxProblem(directive.Location, $"directive '{name.Text}' in '{Path.GetFileName(path)}' is not terminated by ';'");
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
                foreach (var file in files.Expand(args[0].Text, prefix, args[0].At(path), optional: false, ServerKind.Nginx))
                    nodes.AddRange(files.Included(file, "nginx:" + prefix, () => Parse(file, prefix, files, included, depth + 1, args[0].At(path))));
                continue;
            }
            nodes.Add(new ConfigNode(directive, null));
        }
        if (!topLevel) files.SyntaxProblem(SourceLocation.StartOf(path), $"'{Path.GetFileName(path)}' ends inside a block: a '}}' is missing");
        return nodes;
    }

    /// <summary>Splits nginx syntax: words, quoted strings (with backslash escapes), ';', '{', '}', '#' comments.</summary>
    internal static List<Token> Tokenize(string text, string path, ConfigFiles files)
    {
        var tokens = new List<Token>();
        int line = 1, lineStart = 0, i = 0, braces = 0;
        string? statement = null; // the name of the directive being read
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n') { line++; lineStart = ++i; continue; }
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '#') { while (i < text.Length && text[i] != '\n') i++; continue; }
            var column = i - lineStart + 1;
            if (c is ';' or '{' or '}')
            {
                // A directive ends here: charged while tokenizing, so a 9 MiB file stops before its tokens fill memory;
                // the nesting likewise (ParseBlock checks it again where it recurses).
                if (c != '}') files.Charge(WorkKind.Nodes);
                if (c == '{') files.Depth(++braces);
                else if (c == '}' && braces > 0) braces--;
                tokens.Add(new Token(c.ToString(), line, column, 1, false));
                i++;
                if (c == '{' && statement is not null && IsForeignBlock(statement))
                {
                    // OpenResty's *_by_lua_block and friends: the body is another language, read by its module, not by nginx.
                    if (!SkipForeignBody(text, ref i, ref line, ref lineStart))
                    {
                        files.SyntaxProblem(SourceLocation.OnLine(path, line, column, 1), $"the '{statement}' block in '{Path.GetFileName(path)}' is never closed");
                        break;
                    }
                    tokens.Add(new Token("}", line, i - lineStart, 1, false));
                    braces--;
                }
                statement = null;
                continue;
            }
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
                if (i >= text.Length) { files.SyntaxProblem(SourceLocation.OnLine(path, startLine, column, 1), $"unterminated quoted string in '{Path.GetFileName(path)}'"); break; }
                i++;
                tokens.Add(new Token(sb.ToString(), startLine, column, startLine == line ? i - start : 1, true));
                statement ??= sb.ToString();
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
            statement ??= word.ToString();
        }
        return tokens;
    }

    // Blocks whose body a module parses in its own language: lua-nginx-module's and stream-lua's *_by_lua_block.
    private static bool IsForeignBlock(string directive) =>
        directive.EndsWith("_by_lua_block", StringComparison.Ordinal) || directive.EndsWith("_by_njs_block", StringComparison.Ordinal);

    /// <summary>
    /// Moves past a Lua body up to its closing '}' as lua-nginx-module's lexer does: braces balance, but not inside
    /// strings ('…', "…", [[…]], [==[…]==]) or comments (-- to the end of the line, --[[…]]). False at the end of text.
    /// </summary>
    private static bool SkipForeignBody(string text, ref int i, ref int line, ref int lineStart)
    {
        var depth = 1;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n') { line++; lineStart = ++i; continue; }
            if (c == '-' && i + 1 < text.Length && text[i + 1] == '-')
            {
                i += 2;
                if (LongBracketLevel(text, i) is { } commentLevel) { if (!SkipLongBracket(text, ref i, commentLevel, ref line, ref lineStart)) return false; }
                else while (i < text.Length && text[i] != '\n') i++;
                continue;
            }
            if (c == '[' && LongBracketLevel(text, i) is { } level)
            {
                if (!SkipLongBracket(text, ref i, level, ref line, ref lineStart)) return false;
                continue;
            }
            if (c is '"' or '\'')
            {
                i++;
                while (i < text.Length && text[i] != c && text[i] != '\n')
                {
                    if (text[i] == '\\' && i + 1 < text.Length) i++;
                    i++;
                }
                if (i < text.Length && text[i] == c) i++;
                continue;
            }
            i++;
            if (c == '{') depth++;
            else if (c == '}' && --depth == 0) return true;
        }
        return false;
    }

    // The level of a Lua long bracket opening at i ([[ is 0, [==[ is 2), or null when none opens there.
    private static int? LongBracketLevel(string text, int i)
    {
        if (i >= text.Length || text[i] != '[') return null;
        var n = i + 1;
        while (n < text.Length && text[n] == '=') n++;
        return n < text.Length && text[n] == '[' ? n - i - 1 : null;
    }

    private static bool SkipLongBracket(string text, ref int i, int level, ref int line, ref int lineStart)
    {
        var close = "]" + new string('=', level) + "]";
        i += level + 2;
        var end = text.IndexOf(close, i, StringComparison.Ordinal);
        if (end < 0) { i = text.Length; return false; }
        for (var n = i; n < end; n++) if (text[n] == '\n') { line++; lineStart = n + 1; }
        i = end + close.Length;
        return true;
    }
}

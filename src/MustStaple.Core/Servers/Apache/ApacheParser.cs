using MustStaple.Diagnostics;
using MustStaple.Discovery;

namespace MustStaple.Servers.Apache;

/// <summary>
/// Parses Apache httpd configuration syntax into directives and sections with positions: line continuations, '#'
/// comment lines, <c>&lt;Section args&gt;…&lt;/Section&gt;</c>, <c>Include</c>/<c>IncludeOptional</c> spliced in place
/// (relative to ServerRoot). Conditional sections (<c>&lt;IfModule&gt;</c>, <c>&lt;IfDefine&gt;</c>…) are read as active.
/// </summary>
internal static class ApacheParser
{
    private static readonly HashSet<string> Conditionals = new(StringComparer.OrdinalIgnoreCase)
    {
        "IfModule", "IfDefine", "IfVersion", "IfFile", "IfDirective", "IfSection", "If", "Else", "ElseIf",
    };

    public static List<ConfigNode> Parse(string path, string serverRoot, ConfigFiles files, HashSet<string> included, int depth = 0, SourceLocation? from = null)
    {
        ConfigFiles.MarkRead(included, path);
        var text = files.ReadText(path, from);
        if (text is null) return [];
        var root = new List<ConfigNode>();
        var stack = new Stack<(string Name, List<ConfigNode> Children, Directive Open)>();
        var current = root;
        var lines = LineTokenizer.Lines(text);
        for (var n = 0; n < lines.Length; n++)
        {
            var first = n;
            var line = lines[n];
            // A line ending in a backslash continues on the next one; positions stay those of the first line.
            if (line.Length > 0 && line[line.Length - 1] == '\\' && n + 1 < lines.Length)
            {
                var joined = new System.Text.StringBuilder(line, 0, line.Length - 1, line.Length * 2);
                while (n + 1 < lines.Length)
                {
                    var next = lines[++n];
                    var continues = next.Length > 0 && next[next.Length - 1] == '\\';
                    joined.Append(' ').Append(next, 0, continues ? next.Length - 1 : next.Length);
                    if (!continues) break;
                }
                line = joined.ToString();
            }
            var trimmed = line.TrimStart();
            if (trimmed.Length == 0 || trimmed[0] == '#') continue;
            var tokens = LineTokenizer.Split(line.TrimEnd(), first + 1);
            if (tokens.Count == 0) continue;
            files.Charge(WorkKind.Nodes);
            var head = tokens[0];
            if (head.Text.StartsWith("</", StringComparison.Ordinal))
            {
                // httpd reads only the first word of a closing line; `</VirtualHost> </IfModule>` is written to close both, and
                // the conditional it leaves open is transparent to httpd, so closing both here reads what httpd reads.
                foreach (var close in tokens.TakeWhile(t => t.Text.StartsWith("</", StringComparison.Ordinal)))
                    current = Close(close, path, files, stack, root, current);
                continue;
            }
            if (head.Text.Length > 1 && head.Text[0] == '<')
            {
                var args = tokens.Skip(1).ToList();
                if (args.Count > 0 && args[^1].Text.Length > 0 && args[^1].Text[^1] == '>')
                    args[^1] = args[^1] with { Text = args[^1].Text.Substring(0, args[^1].Text.Length - 1), Length = args[^1].Length - 1 };
                var nameToken = head with { Text = head.Text.Substring(1).TrimEnd('>') };
                var open = Token.ToDirective(path, nameToken, args.Where(a => a.Text.Length > 0).ToList());
                var list = new List<ConfigNode>();
                files.Depth(stack.Count + 1); // iterative, yet bounded: a million nested sections are one MST0001
                stack.Push((nameToken.Text, list, open));
                current = list;
                continue;
            }
            var directive = Token.ToDirective(path, head, tokens.Skip(1).ToList());
            if (head.Text.Equals("Include", StringComparison.OrdinalIgnoreCase) || head.Text.Equals("IncludeOptional", StringComparison.OrdinalIgnoreCase))
            {
                if (tokens.Count < 2) continue;
                if (depth >= ConfigFiles.MaxDepth)
                {
                    files.Problem(directive.Location, $"includes nest deeper than {ConfigFiles.MaxDepth} levels; '{tokens[1].Text}' was not read");
                    continue;
                }
                var optional = head.Text.Equals("IncludeOptional", StringComparison.OrdinalIgnoreCase);
                foreach (var file in files.Expand(tokens[1].Text, serverRoot, tokens[1].At(path), optional, ServerKind.Apache))
                    current.AddRange(files.Included(file, "apache:" + serverRoot, () => Parse(file, serverRoot, files, included, depth + 1, tokens[1].At(path))));
                continue;
            }
            current.Add(new ConfigNode(directive, null));
        }
        while (stack.Count > 0)
        {
            var (name, children, open) = stack.Pop();
            var parent = stack.Count > 0 ? stack.Peek().Children : root;
            // httpd reads a conditional's body in place and never asks for its end: an unclosed <IfModule> is no error to it.
            if (Conditionals.Contains(name)) { parent.AddRange(children); continue; }
            files.SyntaxProblem(open.Location, $"<{name}> in '{Path.GetFileName(path)}' is never closed");
            parent.Add(new ConfigNode(open, children));
        }
        return root;
    }

    private static List<ConfigNode> Close(Token close, string path, ConfigFiles files,
        Stack<(string Name, List<ConfigNode> Children, Directive Open)> stack, List<ConfigNode> root, List<ConfigNode> current)
    {
        var name = close.Text.Substring(2).TrimEnd('>');
        if (stack.Count == 0 || !stack.Peek().Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        {
            // A stray conditional end is a no-op to httpd (its start was read in place); any other is an error.
            if (!Conditionals.Contains(name)) files.SyntaxProblem(close.At(path), $"'{close.Text}' in '{Path.GetFileName(path)}' closes no open section");
            return current;
        }
        var (closed, children, open) = stack.Pop();
        var parent = stack.Count > 0 ? stack.Peek().Children : root;
        if (Conditionals.Contains(closed)) parent.AddRange(children);
        else parent.Add(new ConfigNode(open, children));
        return parent;
    }
}

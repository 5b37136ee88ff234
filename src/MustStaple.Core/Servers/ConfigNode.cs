using MustStaple.Diagnostics;

namespace MustStaple.Servers;

/// <summary>A directive with, for a block (<c>server { … }</c>, <c>&lt;VirtualHost&gt;</c>), the directives inside it.</summary>
internal sealed record ConfigNode(Directive Directive, List<ConfigNode>? Children)
{
    public string Name => Directive.Name;
}

/// <summary>A word of a configuration file with its position (1-based; <see cref="Length"/> covers quotes).</summary>
internal readonly record struct Token(string Text, int Line, int Column, int Length, bool Quoted)
{
    public SourceLocation At(string path) => SourceLocation.OnLine(path, Line, Column, Length);

    /// <summary>A directive named by <paramref name="name"/> with <paramref name="args"/>, spanning from the name to the last argument.</summary>
    public static Directive ToDirective(string path, Token name, IReadOnlyList<Token> args)
    {
        var last = args.Count > 0 ? args[args.Count - 1] : name;
        var location = last.Line == name.Line
            ? SourceLocation.OnLine(path, name.Line, name.Column, last.Column + last.Length - name.Column)
            : new SourceLocation(path, name.Line, name.Column, last.Line, last.Column + last.Length);
        return new Directive(name.Text, args.Select(a => a.Text).ToArray(), location, args.Select(a => a.At(path)).ToArray());
    }
}

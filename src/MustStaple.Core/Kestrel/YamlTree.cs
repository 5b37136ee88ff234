using MustStaple.Diagnostics;
using MustStaple.Discovery;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MustStaple.Kestrel;

/// <summary>A YAML node with its position: a scalar, a mapping (ordered pairs) or a sequence.</summary>
public sealed class YamlNode
{
    /// <summary>The scalar's text (null for mappings and sequences). Comments are never part of it.</summary>
    public string? Value { get; init; }

    /// <summary>The scalar was written in quotes (its text starts one column after <see cref="Location"/>).</summary>
    public bool Quoted { get; init; }

    /// <summary>A plain <c>~</c>, <c>null</c> or empty scalar: YAML's null.</summary>
    public bool IsNull => Value is not null && !Quoted && Value is "" or "~" or "null" or "Null" or "NULL";

    /// <summary>Mapping pairs in file order (null when not a mapping).</summary>
    public List<(YamlNode Key, YamlNode Value)>? Pairs { get; init; }

    /// <summary>Sequence items (null when not a sequence).</summary>
    public List<YamlNode>? Items { get; init; }

    /// <summary>Where the node starts (1-based line and column) and its length on that line.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>The value of mapping key <paramref name="key"/> (case-sensitive, as YAML is), or null.</summary>
    public YamlNode? this[string key] => Pairs?.LastOrDefault(p => p.Key.Value == key).Value;

    /// <summary>The scalar text of mapping key <paramref name="key"/>, or null.</summary>
    public string? Text(string key) => this[key]?.Value;
}

/// <summary>
/// Reads YAML with YamlDotNet's event parser into <see cref="YamlNode"/>s that keep positions. The tree is built
/// here, not by YamlDotNet's recursive representation model, so nesting is bounded by the run's depth limit (a deeply
/// nested hostile file ends in one MST0001, never a stack overflow) and an alias is the node it names, never a copy.
/// Every node, alias and merged pair is charged to the run's <see cref="WorkBudget"/>; merge keys are linear.
/// </summary>
public static class YamlTree
{
    /// <summary>Every document of <paramref name="text"/>; on a syntax error the documents before it and the error. A limit of <paramref name="budget"/> throws <see cref="WorkLimitException"/>.</summary>
    public static (IReadOnlyList<YamlNode> Documents, LoadError? Error) Read(string path, string text, WorkBudget? budget = null)
    {
        budget ??= new WorkBudget();
        var documents = new List<YamlNode>();
        var anchors = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        var parser = new Parser(new StringReader(text));
        try
        {
            while (parser.MoveNext())
            {
                if (parser.Current is DocumentStart)
                {
                    anchors.Clear();
                    parser.MoveNext();
                    if (parser.Current is DocumentEnd) continue;
                    documents.Add(ReadNode(parser, path, anchors, 0, budget));
                }
            }
            return (documents, null);
        }
        catch (YamlException ex)
        {
            var line = (int)Math.Max(1, Math.Min(int.MaxValue, ex.Start.Line));
            var col = (int)Math.Max(1, Math.Min(int.MaxValue, ex.Start.Column));
            return (documents, new LoadError(SourceLocation.OnLine(path, line, col, 1), $"invalid YAML: {Flatten(ex.Message)}"));
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet's scanner throws these on some malformed input instead of a YamlException.
            return (documents, new LoadError(SourceLocation.StartOf(path), "invalid YAML: the parser gave up on this file"));
        }
    }

    private static YamlNode ReadNode(IParser parser, string path, Dictionary<string, YamlNode> anchors, int depth, WorkBudget budget)
    {
        budget.Depth(path, depth);
        budget.Charge(path, WorkKind.Nodes);
        var current = parser.Current!;
        var at = Locate(path, current);
        YamlNode node;
        switch (current)
        {
            case Scalar s:
                node = new YamlNode { Value = s.Value, Quoted = s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted, Location = SourceLocation.OnLine(path, at.Line, at.Column, Math.Max(1, Width(s))) };
                Remember(anchors, s.Anchor, node);
                return node;
            case AnchorAlias alias:
                return anchors.TryGetValue(alias.Value.Value, out var target) ? target : new YamlNode { Value = "", Location = at };
            case MappingStart m:
            {
                var pairs = new List<(YamlNode, YamlNode)>();
                List<List<(YamlNode, YamlNode)>>? merges = null;
                node = new YamlNode { Pairs = pairs, Location = at };
                Remember(anchors, m.Anchor, node);
                parser.MoveNext();
                while (parser.Current is not MappingEnd)
                {
                    var key = ReadNode(parser, path, anchors, depth + 1, budget);
                    parser.MoveNext();
                    var value = ReadNode(parser, path, anchors, depth + 1, budget);
                    parser.MoveNext();
                    if (key.Value == "<<" && (value.Pairs is not null || value.Items is not null))
                    {
                        // Merge keys: collected, then placed before the pairs written here (which win) in one pass.
                        foreach (var merged in value.Items ?? [value])
                        {
                            if (merged.Pairs is null || ReferenceEquals(merged, node)) continue;
                            budget.Charge(path, WorkKind.Nodes, merged.Pairs.Count); // a merged pair is read again here
                            (merges ??= []).Add(merged.Pairs.ToList());
                        }
                        continue;
                    }
                    pairs.Add((key, value));
                }
                if (merges is not null)
                {
                    // The same order as inserting each merge at the front: the last merged first, so earlier merges win.
                    var own = pairs.ToList();
                    pairs.Clear();
                    for (var i = merges.Count - 1; i >= 0; i--) pairs.AddRange(merges[i]);
                    pairs.AddRange(own);
                }
                return node;
            }
            case SequenceStart q:
            {
                var items = new List<YamlNode>();
                node = new YamlNode { Items = items, Location = at };
                Remember(anchors, q.Anchor, node);
                parser.MoveNext();
                while (parser.Current is not SequenceEnd)
                {
                    items.Add(ReadNode(parser, path, anchors, depth + 1, budget));
                    parser.MoveNext();
                }
                return node;
            }
            default:
                throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}");
        }
    }

    private static void Remember(Dictionary<string, YamlNode> anchors, YamlDotNet.Core.AnchorName anchor, YamlNode node)
    {
        if (!anchor.IsEmpty) anchors[anchor.Value] = node;
    }

    // A plain or quoted scalar on one line spans its source text; a block scalar is marked by its first character.
    private static int Width(Scalar s) =>
        s.Start.Line == s.End.Line ? (int)Math.Min(int.MaxValue, s.End.Column - s.Start.Column) : 1;

    private static SourceLocation Locate(string path, ParsingEvent e) =>
        SourceLocation.OnLine(path, (int)Math.Max(1, Math.Min(int.MaxValue, e.Start.Line)), (int)Math.Max(1, Math.Min(int.MaxValue, e.Start.Column)), 1);

    private static string Flatten(string message) => message.Replace('\r', ' ').Replace('\n', ' ');
}

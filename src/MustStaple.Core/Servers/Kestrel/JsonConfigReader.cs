using System.Text;
using System.Text.Json;
using MustStaple.Diagnostics;

namespace MustStaple.Kestrel;

/// <summary>
/// Flattens a JSON configuration file into <c>A:B:C</c> keys exactly as
/// Microsoft.Extensions.Configuration.Json does (comments and trailing commas allowed, arrays as
/// indices, objects contribute their leaves), while keeping the line and column of every key and value.
/// What that library refuses — and so stops the app at start-up — is returned as the error: no JSON at all, a
/// top-level value that is not an object, content after it, nesting deeper than 64, a leaf key set twice
/// (case-insensitively), a string with a lone surrogate escape. Like the library's StreamReader, a byte-order mark is
/// honoured (UTF-8, UTF-16) and invalid UTF-8 becomes U+FFFD.
/// </summary>
public static class JsonConfigReader
{
    private const int MaxDepth = 64; // JsonDocumentOptions' default, which the configuration library uses

    /// <summary>Reads <paramref name="raw"/>; a syntax error is returned, never thrown (a limit of <paramref name="budget"/> is: <see cref="Discovery.WorkLimitException"/>).</summary>
    public static (IReadOnlyList<ConfigEntry> Entries, LoadError? Error) Read(string path, byte[] raw, Discovery.WorkBudget? budget = null)
    {
        var entries = new List<ConfigEntry>();
        var bytes = Discovery.TextDecoder.ToUtf8(raw, strict: false).Utf8 ?? [];
        var lines = LineIndex.Build(bytes);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            MaxDepth = MaxDepth,
        });
        var state = new State(path, lines, entries, budget ?? new Discovery.WorkBudget());
        try
        {
            if (!reader.Read())
                return (entries, new LoadError(SourceLocation.StartOf(path), Refused(Text("Json.Empty"))));
            if (reader.TokenType != JsonTokenType.StartObject)
                return (entries, new LoadError(lines.Locate(path, (int)reader.TokenStartIndex, 1), Refused(Text("Json.NotObject"))));
            ReadObject(ref reader, state);
            if (state.Error is null && reader.Read()) // Utf8JsonReader throws on content after the root; this is belt and braces
                return (entries, new LoadError(lines.Locate(path, (int)reader.TokenStartIndex, 1), Refused(Text("Json.AfterRoot"))));
            return (entries, state.Error);
        }
        catch (JsonException ex)
        {
            var line = (int)(ex.LineNumber ?? 0) + 1;
            var col = (int)(ex.BytePositionInLine ?? 0) + 1;
            return (entries, new LoadError(new SourceLocation(path, line, col, line, col + 1), Refused(Text("Json.Invalid", Trim(ex.Message)))));
        }
        catch (InvalidOperationException)
        {
            // GetString on a string holding a lone surrogate escape (\ud800): the library throws the same and the app stops.
            return (entries, new LoadError(state.LastLocation ?? SourceLocation.StartOf(path), Refused(Text("Json.LoneSurrogate"))));
        }
    }

    // "…so the app would not start" tells DeploymentReader an error is the configuration library's refusal (MST0008).
    private static Localization.LocalizedText Refused(Localization.LocalizedText why) => Text("Json.Refused", why);

    private static Localization.LocalizedText Text(string key, params object?[] args) => Localization.Texts.Kestrel.Text(key, args);

    private static string Trim(string message)
    {
        var i = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return i > 0 ? message.Substring(0, i).TrimEnd('.', ' ') : message;
    }

    // What the library's flattening keeps: every key set so far (leaf values and emptied sections), case-insensitively.
    private sealed class State(string path, LineIndex lines, List<ConfigEntry> entries, Discovery.WorkBudget budget)
    {
        public string Path { get; } = path;

        /// <summary>Keeps an entry, charged to the run's budget (a 10 MiB file of keys stops there, not in memory).</summary>
        public void Add(ConfigEntry entry)
        {
            budget.Charge(Path, Discovery.WorkKind.Nodes);
            Entries.Add(entry);
        }

        public LineIndex Lines { get; } = lines;
        public List<ConfigEntry> Entries { get; } = entries;
        public List<string> Keys { get; } = [];
        public List<SourceLocation> KeyLocations { get; } = [];
        public Dictionary<string, bool> Set { get; } = new(StringComparer.OrdinalIgnoreCase);
        public LoadError? Error { get; set; }
        public SourceLocation? LastLocation { get; set; }
        public string Key => string.Join(":", Keys);
    }

    private static void ReadObject(ref Utf8JsonReader reader, State state)
    {
        var empty = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            empty = false;
            var nameLength = (int)(reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length) + 2;
            var keyLoc = state.Lines.Locate(state.Path, (int)reader.TokenStartIndex, nameLength);
            state.LastLocation = keyLoc;
            var name = reader.GetString()!;
            reader.Read();
            state.Keys.Add(name);
            state.KeyLocations.Add(keyLoc);
            ReadValue(ref reader, state);
            state.Keys.RemoveAt(state.Keys.Count - 1);
            state.KeyLocations.RemoveAt(state.KeyLocations.Count - 1);
        }
        if (empty && state.Keys.Count > 0) SetEmpty(state); // an empty section is a null value there
    }

    // The library stores null for an empty object or array (overwriting an earlier value of the same key).
    private static void SetEmpty(State state)
    {
        var location = state.KeyLocations[state.KeyLocations.Count - 1];
        state.Set[state.Key] = true;
        state.Add(new ConfigEntry(state.Key, null, location, location, state.Path));
    }

    private static void ReadValue(ref Utf8JsonReader reader, State state)
    {
        var key = state.Key;
        var keyLocation = state.KeyLocations[state.KeyLocations.Count - 1];
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                state.Add(new ConfigEntry(key, null, keyLocation, keyLocation, state.Path) { IsSection = true });
                ReadObject(ref reader, state);
                break;
            case JsonTokenType.StartArray:
                var index = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    state.Keys.Add(index.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    state.KeyLocations.Add(keyLocation);
                    ReadValue(ref reader, state);
                    state.Keys.RemoveAt(state.Keys.Count - 1);
                    state.KeyLocations.RemoveAt(state.KeyLocations.Count - 1);
                    index++;
                }
                if (index == 0) SetEmpty(state);
                break;
            default:
                var start = (int)reader.TokenStartIndex;
                var length = (int)(reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length)
                    + (reader.TokenType == JsonTokenType.String ? 2 : 0);
                var valueLocation = state.Lines.Locate(state.Path, start, length);
                state.LastLocation = valueLocation;
                string? value = reader.TokenType switch
                {
                    JsonTokenType.String => reader.GetString(),
                    JsonTokenType.Null => null,
                    JsonTokenType.True => "True", // JsonElement.ToString(), which the library stores
                    JsonTokenType.False => "False",
                    _ => Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray()),
                };
                if (state.Set.ContainsKey(key))
                    state.Error ??= new LoadError(keyLocation, Refused(Text("Json.DuplicateKey", key)));
                state.Set[key] = true;
                state.Add(new ConfigEntry(key, value, keyLocation, valueLocation, state.Path));
                break;
        }
    }
}

/// <summary>A file that could not be parsed, and where.</summary>
public sealed record LoadError(SourceLocation Location, string Message)
{
    private readonly Localization.LocalizedText? _text;

    /// <summary>An error worded in every language (<see cref="Message"/> is its English).</summary>
    public LoadError(SourceLocation location, Localization.LocalizedText text) : this(location, text.English) => _text = text;

    /// <summary>The explanation in any language; an error created from a string reads the same in every language.</summary>
    public Localization.LocalizedText Text => _text ?? Localization.LocalizedText.Plain(Message);
}

/// <summary>Maps byte offsets to 1-based lines and (UTF-16) columns.</summary>
internal sealed class LineIndex
{
    private readonly byte[] _bytes;
    private readonly List<int> _starts;

    private LineIndex(byte[] bytes, List<int> starts) { _bytes = bytes; _starts = starts; }

    public static LineIndex Build(byte[] bytes)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < bytes.Length; i++) if (bytes[i] == (byte)'\n') starts.Add(i + 1);
        return new LineIndex(bytes, starts);
    }

    public SourceLocation Locate(string path, int byteOffset, int lengthInBytes)
    {
        var line = _starts.BinarySearch(byteOffset);
        if (line < 0) line = ~line - 1;
        var lineStart = _starts[line];
        var column = Encoding.UTF8.GetCharCount(_bytes, lineStart, Math.Max(0, byteOffset - lineStart)) + 1;
        var end = Math.Min(_bytes.Length, byteOffset + lengthInBytes);
        var width = Encoding.UTF8.GetCharCount(_bytes, byteOffset, Math.Max(0, end - byteOffset));
        return new SourceLocation(path, line + 1, column, line + 1, column + width);
    }
}

using System.Text;
using System.Text.Json;
using MustStaple.Diagnostics;

namespace MustStaple.Kestrel;

/// <summary>
/// Flattens a JSON configuration file into <c>A:B:C</c> keys exactly as
/// Microsoft.Extensions.Configuration.Json does (comments and trailing commas allowed, arrays as
/// indices, objects contribute their leaves), while keeping the line and column of every key and value.
/// </summary>
public static class JsonConfigReader
{
    /// <summary>Reads <paramref name="bytes"/>; a syntax error is returned, never thrown.</summary>
    public static (IReadOnlyList<ConfigEntry> Entries, LoadError? Error) Read(string path, byte[] bytes)
    {
        var entries = new List<ConfigEntry>();
        var lines = LineIndex.Build(bytes);
        var span = bytes.AsSpan();
        if (span.StartsWith(new byte[] { 0xEF, 0xBB, 0xBF })) span = span.Slice(3);
        var offset = bytes.Length - span.Length;
        var reader = new Utf8JsonReader(span, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            MaxDepth = 256,
        });
        try
        {
            if (!reader.Read()) return (entries, null);
            if (reader.TokenType != JsonTokenType.StartObject)
                return (entries, new LoadError(lines.Locate(path, offset + (int)reader.TokenStartIndex, 1), "the top-level JSON value must be an object"));
            var keyStack = new List<string>();
            var keyLocations = new List<SourceLocation>();
            ReadObject(ref reader, path, offset, lines, keyStack, keyLocations, entries);
            return (entries, null);
        }
        catch (JsonException ex)
        {
            var line = (int)(ex.LineNumber ?? 0) + 1;
            var col = (int)(ex.BytePositionInLine ?? 0) + 1;
            return (entries, new LoadError(new SourceLocation(path, line, col, line, col + 1), $"invalid JSON: {Trim(ex.Message)}"));
        }
    }

    private static string Trim(string message)
    {
        var i = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return i > 0 ? message.Substring(0, i).TrimEnd('.', ' ') : message;
    }

    private static void ReadObject(ref Utf8JsonReader reader, string path, int offset, LineIndex lines,
        List<string> keys, List<SourceLocation> keyLocations, List<ConfigEntry> entries)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            var nameLength = (int)(reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length) + 2;
            var keyLoc = lines.Locate(path, offset + (int)reader.TokenStartIndex, nameLength);
            reader.Read();
            keys.Add(name);
            keyLocations.Add(keyLoc);
            ReadValue(ref reader, path, offset, lines, keys, keyLocations, entries);
            keys.RemoveAt(keys.Count - 1);
            keyLocations.RemoveAt(keyLocations.Count - 1);
        }
    }

    private static void ReadValue(ref Utf8JsonReader reader, string path, int offset, LineIndex lines,
        List<string> keys, List<SourceLocation> keyLocations, List<ConfigEntry> entries)
    {
        var key = string.Join(":", keys);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                entries.Add(new ConfigEntry(key, null, keyLocations[keyLocations.Count - 1], keyLocations[keyLocations.Count - 1], path) { IsSection = true });
                ReadObject(ref reader, path, offset, lines, keys, keyLocations, entries);
                break;
            case JsonTokenType.StartArray:
                var index = 0;
                var arrayKeyLoc = keyLocations[keyLocations.Count - 1];
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    keys.Add(index.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    keyLocations.Add(arrayKeyLoc);
                    ReadValue(ref reader, path, offset, lines, keys, keyLocations, entries);
                    keys.RemoveAt(keys.Count - 1);
                    keyLocations.RemoveAt(keyLocations.Count - 1);
                    index++;
                }
                break;
            default:
                var start = offset + (int)reader.TokenStartIndex;
                var length = (int)(reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length)
                    + (reader.TokenType == JsonTokenType.String ? 2 : 0);
                string? value = reader.TokenType switch
                {
                    JsonTokenType.String => reader.GetString(),
                    JsonTokenType.Null => null,
                    _ => Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray()),
                };
                entries.Add(new ConfigEntry(key, value, keyLocations[keyLocations.Count - 1], lines.Locate(path, start, length), path));
                break;
        }
    }
}

/// <summary>A file that could not be parsed, and where.</summary>
public sealed record LoadError(SourceLocation Location, string Message);

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

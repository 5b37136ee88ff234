using System.Text;

namespace MustStaple.Discovery;

/// <summary>
/// Turns a text input's bytes into a string the way .NET's readers (MSBuild, Microsoft.Extensions.Configuration,
/// StreamReader) do: a UTF-8 or UTF-16 byte-order mark is honoured and dropped; without one the text is UTF-8.
/// Strict (XML, YAML: their parsers refuse invalid bytes): bytes that are not valid in that encoding are an error naming
/// the line, never an exception. Lenient (JSON configuration, .editorconfig, Dockerfiles: read through a StreamReader
/// or as raw bytes by their consumers): invalid bytes become U+FFFD, as they do there.
/// </summary>
public static class TextDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly UnicodeEncoding StrictUtf16Le = new(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true);
    private static readonly UnicodeEncoding StrictUtf16Be = new(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true);

    /// <summary>The decoded text, or (strict only) null and a message naming the line of the first invalid byte.</summary>
    public static (string? Text, int ErrorLine, string? Error) Decode(byte[] bytes, bool strict = true)
    {
        var (encoding, skip, name) = Detect(bytes);
        if (!strict) encoding = encoding == StrictUtf8 ? new UTF8Encoding(false) : encoding == StrictUtf16Be ? new UnicodeEncoding(true, false) : new UnicodeEncoding(false, false);
        try
        {
            return (encoding.GetString(bytes, skip, bytes.Length - skip), 0, null);
        }
        catch (DecoderFallbackException)
        {
            var line = FirstInvalidLine(bytes, encoding, skip);
            return (null, line, $"line {line} holds bytes that are not valid {name}");
        }
    }

    /// <summary>The bytes as UTF-8 without a byte-order mark (UTF-16 input re-encoded), or an error as <see cref="Decode"/>.</summary>
    public static (byte[]? Utf8, int ErrorLine, string? Error) ToUtf8(byte[] bytes, bool strict = true)
    {
        var (encoding, skip, _) = Detect(bytes);
        if (encoding == StrictUtf8)
        {
            var (text, line, error) = Decode(bytes, strict);
            if (!strict) return (skip == 0 && text is not null && !text.Contains('\uFFFD') ? bytes : Encoding.UTF8.GetBytes(text!), 0, null);
            if (text is null) return (null, line, error);
            if (skip == 0) return (bytes, 0, null);
            var copy = new byte[bytes.Length - skip];
            Array.Copy(bytes, skip, copy, 0, copy.Length);
            return (copy, 0, null);
        }
        var (decoded, errorLine, message) = Decode(bytes, strict);
        return decoded is null ? (null, errorLine, message) : (Encoding.UTF8.GetBytes(decoded), 0, null);
    }

    private static (Encoding Encoding, int Skip, string Name) Detect(byte[] b)
    {
        if (b.Length >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) return (StrictUtf8, 3, "UTF-8");
        if (b.Length >= 2 && b[0] == 0xFF && b[1] == 0xFE) return (StrictUtf16Le, 2, "UTF-16");
        if (b.Length >= 2 && b[0] == 0xFE && b[1] == 0xFF) return (StrictUtf16Be, 2, "UTF-16");
        return (StrictUtf8, 0, "UTF-8");
    }

    // Decodes line by line (a line ends at '\n' in the encoding's units) to find the first line that fails.
    private static int FirstInvalidLine(byte[] bytes, Encoding encoding, int skip)
    {
        var unit = encoding == StrictUtf8 ? 1 : 2;
        var bigEndian = encoding == StrictUtf16Be;
        var line = 1;
        var start = skip;
        for (var i = skip; i + unit <= bytes.Length; i += unit)
        {
            var isNewline = unit == 1 ? bytes[i] == '\n' : bigEndian ? bytes[i] == 0 && bytes[i + 1] == '\n' : bytes[i] == '\n' && bytes[i + 1] == 0;
            if (!isNewline) continue;
            if (!Decodes(encoding, bytes, start, i + unit - start)) return line;
            line++;
            start = i + unit;
        }
        return line;
    }

    private static bool Decodes(Encoding encoding, byte[] bytes, int start, int count)
    {
        try
        {
            encoding.GetCharCount(bytes, start, count);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}

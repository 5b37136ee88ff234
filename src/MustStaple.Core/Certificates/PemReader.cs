using System.Text;

namespace MustStaple.Certificates;

/// <summary>One PEM block: its label, decoded bytes (or why they could not be decoded) and its lines.</summary>
internal sealed record PemBlock(string Label, byte[]? Data, Localization.LocalizedText? Problem, int BeginLine, int EndLine, int BeginLength);

/// <summary>
/// Splits text into PEM blocks the way OpenSSL tolerates them: any text around blocks, CRLF or LF,
/// RFC 1421 headers inside a block. Never throws; a damaged block carries a problem instead of data.
/// </summary>
internal static class PemReader
{
    private const string BeginMarker = "-----BEGIN ";
    private const string Dashes = "-----";

    public static bool LooksLikePem(ReadOnlySpan<byte> content) =>
        content.IndexOf("-----BEGIN "u8) >= 0;

    public static List<PemBlock> Read(string text, Func<string, bool> wantData)
    {
        // Lines are located, not split: a certificate file is read without a string per line.
        var starts = new List<int> { 0 };
        for (var k = text.IndexOf('\n'); k >= 0; k = text.IndexOf('\n', k + 1)) starts.Add(k + 1);
        ReadOnlySpan<char> Line(int n) => text.AsSpan(starts[n], (n + 1 < starts.Count ? starts[n + 1] - 1 : text.Length) - starts[n]);

        var blocks = new List<PemBlock>();
        var body = new StringBuilder();
        for (var i = 0; i < starts.Count; i++)
        {
            var line = Line(i).TrimEnd('\r');
            var begin = line.IndexOf(BeginMarker.AsSpan(), StringComparison.Ordinal);
            if (begin < 0) continue;
            var afterBegin = line.Slice(begin + BeginMarker.Length);
            var labelLength = afterBegin.IndexOf(Dashes.AsSpan(), StringComparison.Ordinal);
            if (labelLength < 0) continue;
            var label = afterBegin.Slice(0, labelLength).ToString();
            var endMarker = "-----END " + label + Dashes;
            body.Clear();
            var endLine = -1;
            var headers = true;
            for (var j = i + 1; j < starts.Count; j++)
            {
                var l = Line(j).Trim();
                if (l.StartsWith(endMarker.AsSpan(), StringComparison.Ordinal)) { endLine = j; break; }
                if (l.IndexOf(BeginMarker.AsSpan(), StringComparison.Ordinal) >= 0) break; // the same test as the outer loop's, so each line is scanned once
                if (headers && l.IndexOf(':') >= 0) continue; // RFC 1421 header (Proc-Type, DEK-Info)
                headers = false;
                Append(body, l);
            }

            var beginLength = line.Length;
            if (endLine < 0)
            {
                blocks.Add(new PemBlock(label, null, Localization.Texts.Input.Text("Pem.NoEnd", label), i + 1, i + 1, beginLength));
                continue;
            }

            byte[]? data = null;
            Localization.LocalizedText? problem = null;
            if (wantData(label))
            {
                try
                {
                    data = Convert.FromBase64String(body.ToString());
                    if (data.Length == 0) problem = Localization.Texts.Input.Text("Pem.Empty", label);
                }
                catch (FormatException)
                {
                    problem = Localization.Texts.Input.Text("Pem.NotBase64", label);
                }
            }

            blocks.Add(new PemBlock(label, problem is null ? data : null, problem, i + 1, endLine + 1, beginLength));
            i = endLine;
        }
        return blocks;
    }

    private static void Append(StringBuilder body, ReadOnlySpan<char> chars)
    {
#if NET
        body.Append(chars);
#else
        foreach (var c in chars) body.Append(c);
#endif
    }
}

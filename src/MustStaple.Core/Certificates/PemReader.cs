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
        var blocks = new List<PemBlock>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var begin = line.IndexOf(BeginMarker, StringComparison.Ordinal);
            if (begin < 0) continue;
            var labelEnd = line.IndexOf(Dashes, begin + BeginMarker.Length, StringComparison.Ordinal);
            if (labelEnd < 0) continue;
            var label = line.Substring(begin + BeginMarker.Length, labelEnd - begin - BeginMarker.Length);
            var endMarker = "-----END " + label + Dashes;
            var body = new StringBuilder();
            var endLine = -1;
            var headers = true;
            for (var j = i + 1; j < lines.Length; j++)
            {
                var l = lines[j].Trim();
                if (l.StartsWith(endMarker, StringComparison.Ordinal)) { endLine = j; break; }
                if (l.Contains(BeginMarker)) break; // the same test as the outer loop's, so each line is scanned once
                if (headers && l.Contains(':')) continue; // RFC 1421 header (Proc-Type, DEK-Info)
                headers = false;
                body.Append(l);
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
}

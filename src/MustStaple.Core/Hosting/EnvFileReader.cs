using MustStaple.Kestrel;

namespace MustStaple.Hosting;

/// <summary>
/// Reads a compose <c>env_file</c> as Docker Compose does: <c>KEY=VALUE</c> lines, <c>#</c> comment lines, blank lines,
/// values in single or double quotes, and an unquoted value's <c> #</c> comment. Linear in the file.
/// </summary>
public static class EnvFileReader
{
    /// <summary>Variables per line, in order (later wins).</summary>
    public static IReadOnlyList<ConfigEntry> Read(string path, string text)
    {
        var entries = new List<ConfigEntry>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var start = line.Length - line.TrimStart().Length;
            var body = line.Trim();
            if (body.Length == 0 || body[0] == '#') continue;
            if (body.StartsWith("export ", StringComparison.Ordinal)) { start += 7; body = body.Substring(7).TrimStart(); }
            var eq = body.IndexOf('=');
            if (eq <= 0) continue; // "KEY" alone passes the host's variable: not in the repository
            var key = body.Substring(0, eq).Trim();
            var raw = body.Substring(eq + 1);
            var valueCol = start + eq + 2;
            string value;
            if (raw.Length >= 2 && (raw[0] == '"' || raw[0] == '\'') && raw.IndexOf(raw[0], 1) is var close and > 0)
            {
                value = raw.Substring(1, close - 1);
                valueCol++;
            }
            else
            {
                var comment = raw.IndexOf(" #", StringComparison.Ordinal);
                value = (comment >= 0 ? raw.Substring(0, comment) : raw).Trim();
            }
            entries.Add(ContainerFileReader.Entry(path, i + 1, start + 1, key, value, valueCol));
        }
        return entries;
    }
}

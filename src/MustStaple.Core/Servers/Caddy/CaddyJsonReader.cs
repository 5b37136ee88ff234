using MustStaple.Localization;
using System.Text;
using System.Text.Json;
using MustStaple.Diagnostics;

namespace MustStaple.Servers.Caddy;

/// <summary>
/// Reads Caddy's native JSON configuration (<c>caddy.json</c>): each <c>apps.tls.certificates.load_files[]</c> entry is
/// a served, unmanaged certificate, stapled unless <c>apps.tls.disable_ocsp_stapling</c> is true (what the Caddyfile's
/// <c>ocsp_stapling off</c> adapts to).
/// </summary>
internal static class CaddyJsonReader
{
    public static ServerDeployment Read(string path, ConfigFiles files, byte[]? bytes)
    {
        var baseDir = Path.GetDirectoryName(path)!;
        var certificates = new List<Directive>();
        Directive? disable = null;
        if (bytes is not null)
        {
            var utf8 = Discovery.TextDecoder.ToUtf8(bytes, strict: false).Utf8 ?? bytes;
            var lineStarts = LineStarts(utf8);
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 64 });
            var stack = new List<string>();
            string? property = null;
            try
            {
                while (reader.Read())
                {
                    switch (reader.TokenType)
                    {
                        case JsonTokenType.PropertyName:
                            property = reader.GetString();
                            break;
                        case JsonTokenType.StartObject or JsonTokenType.StartArray:
                            stack.Add(property ?? "[]");
                            property = null;
                            break;
                        case JsonTokenType.EndObject or JsonTokenType.EndArray:
                            if (stack.Count > 0) stack.RemoveAt(stack.Count - 1);
                            property = null;
                            break;
                        default:
                            var at = Locate(path, lineStarts, utf8, (int)reader.TokenStartIndex, reader.ValueSpan.Length + (reader.TokenType == JsonTokenType.String ? 2 : 0));
                            var where = string.Join(".", stack.Skip(1));
                            if (property == "certificate" && reader.TokenType == JsonTokenType.String && where == "apps.tls.certificates.load_files.[]")
                                certificates.Add(new Directive("certificate", [reader.GetString()!], at, [at]));
                            else if (property == "disable_ocsp_stapling" && where == "apps.tls" && reader.TokenType is JsonTokenType.True or JsonTokenType.False)
                                disable = new Directive("disable_ocsp_stapling", [reader.TokenType == JsonTokenType.True ? "true" : "false"], at, [at]);
                            property = null;
                            break;
                    }
                }
            }
            catch (JsonException ex)
            {
                var line = (int)(ex.LineNumber ?? 0) + 1;
                files.Problem(SourceLocation.OnLine(path, line, 1, 1), $"'{Path.GetFileName(path)}' is not valid JSON (line {line})");
            }
        }
        var off = disable is { Value: "true" };
        var endpoints = new List<TlsEndpoint>();
        foreach (var c in certificates)
        {
            if (c.Value.Contains('{')) continue; // placeholders are resolved at run time
            var resolved = files.Resolve(c.Value, baseDir);
            var exists = resolved is not null && File.Exists(resolved);
            if (resolved is not null && !exists)
                files.MissingFile(c.Value, resolved, c.ValueLocation, "load_files certificate", "Caddy");
            endpoints.Add(new TlsEndpoint
            {
                Server = ServerKind.Caddy,
                Label = Texts.Servers.Text("Endpoint.CaddyLoadFiles", c.Value),
                Location = c.Location,
                Certificates = [new EndpointCertificate { Certificate = new FileReference(c.Value, c.ValueLocation, exists ? resolved : null) }],
                StaplingOn = !off,
                StaplingDirective = disable,
            });
        }
        return new ServerDeployment { Server = ServerKind.Caddy, ConfigFile = path, Endpoints = endpoints, Problems = files.Problems };
    }

    private static List<int> LineStarts(byte[] utf8)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < utf8.Length; i++) if (utf8[i] == (byte)'\n') starts.Add(i + 1);
        return starts;
    }

    // Line by binary search over line starts; column counted in characters, as editors and SARIF viewers show them.
    private static SourceLocation Locate(string path, List<int> lineStarts, byte[] utf8, int offset, int length)
    {
        var index = lineStarts.BinarySearch(offset);
        var line = index >= 0 ? index : ~index - 1;
        var column = Encoding.UTF8.GetCharCount(utf8, lineStarts[line], offset - lineStarts[line]) + 1;
        return SourceLocation.OnLine(path, line + 1, column, length);
    }
}

using System.Text.Json;
using MustStaple.Diagnostics;

namespace MustStaple.Lint;

/// <summary>
/// <c>--format json</c>: one JSON document for scripts, schema version 1 (docs/cli-json.md). Paths are relative to the
/// source root with '/' separators; every text is escaped and capped like every other output.
/// </summary>
internal static class JsonSink
{
    public const int SchemaVersion = 1;

    public static void Write(LintResult result, TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", SchemaVersion);
            w.WriteStartObject("tool");
            w.WriteString("name", "muststaple-lint");
            w.WriteString("version", MustStaple.Sarif.SarifWriter.ToolVersion);
            w.WriteEndObject();
            w.WriteString("sourceRoot", SafeText.Path(result.SourceRoot));
            w.WriteStartObject("summary");
            w.WriteNumber("errors", result.ErrorCount);
            w.WriteNumber("warnings", result.WarningCount);
            w.WriteNumber("notes", result.Diagnostics.Count(d => d.Severity == Severity.Note));
            w.WriteNumber("filesRead", result.FilesRead);
            w.WriteEndObject();
            w.WriteStartArray("findings");
            foreach (var d in result.Diagnostics)
            {
                w.WriteStartObject();
                w.WriteString("id", d.Id);
                w.WriteString("severity", SeverityText.ToSarifLevel(d.Severity));
                w.WriteString("message", d.Message);
                WriteLocation(w, d.Location, result.SourceRoot);
                if (d.Descriptor.HelpUri is { } help) w.WriteString("helpUri", help);
                w.WriteStartArray("related");
                foreach (var r in d.RelatedLocations)
                {
                    w.WriteStartObject();
                    WriteLocation(w, r, result.SourceRoot);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        // Printed line by line through the one output guard: its escapes are JSON's own, so the data is unchanged.
        foreach (var line in System.Text.Encoding.UTF8.GetString(stream.ToArray()).Split('\n')) output.WriteLine(SafeText.Line(line.TrimEnd('\r')));
    }

    private static void WriteLocation(Utf8JsonWriter w, SourceLocation l, string root)
    {
        w.WriteString("path", CanonicalFormatter.DisplayPath(l.Path, root).Replace('\\', '/'));
        w.WriteNumber("line", l.Line);
        w.WriteNumber("column", l.Column);
        w.WriteNumber("endLine", l.EndLine);
        w.WriteNumber("endColumn", Math.Max(l.EndColumn, l.Column));
    }
}

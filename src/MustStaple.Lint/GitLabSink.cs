using System.Text.Json;
using MustStaple.Diagnostics;

namespace MustStaple.Lint;

/// <summary>
/// GitLab Code Quality report (the <c>codequality</c> artifact a merge request's widget reads): a JSON array of
/// <c>{ description, check_name, fingerprint, severity, location: { path, lines: { begin } } }</c>. The fingerprint is
/// the SARIF one, so an alert keeps its identity across runs and tools. Paths are relative to the source root.
/// </summary>
internal static class GitLabSink
{
    public static byte[] Write(LintResult result)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            foreach (var d in result.Diagnostics)
            {
                w.WriteStartObject();
                w.WriteString("description", $"{d.Id}: {d.Message}");
                w.WriteString("check_name", d.Id);
                w.WriteString("fingerprint", MustStaple.Sarif.SarifWriter.Fingerprint(d, result.SourceRoot));
                w.WriteString("severity", d.Severity switch { Severity.Error => "critical", Severity.Warning => "major", _ => "info" });
                w.WriteStartObject("location");
                var path = SourcePaths.RelativeTo(d.Location.Path, result.SourceRoot)?.Replace('\\', '/') ?? d.Location.Path;
                w.WriteString("path", SafeText.Path(path));
                w.WriteStartObject("lines");
                w.WriteNumber("begin", Math.Max(1, d.Location.Line));
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }
}

using MustStaple.Localization;
using System.Text;
using System.Text.Json;
using MustStaple.Diagnostics;

namespace MustStaple.Sarif;

/// <summary>
/// Writes a SARIF 2.1.0 log for GitHub code scanning: one run, every rule that ran, results with repo-relative
/// URIs under <c>%SRCROOT%</c>. Deterministic: the same result gives the same bytes.
/// </summary>
public static class SarifWriter
{
    /// <summary>The tool name in the log.</summary>
    public const string ToolName = "MustStaple";

    /// <summary>
    /// The version both fronts write: Core's informational version without build metadata, so the task and the CLI
    /// produce byte-identical logs for the same input.
    /// </summary>
    public static string ToolVersion { get; } =
        typeof(SarifWriter).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Serialises <paramref name="result"/> as UTF-8 JSON (LF line endings, no BOM).</summary>
    public static byte[] Write(LintResult result) => Write(result, ToolVersion);

    /// <summary>Serialises <paramref name="result"/> with a category and repository facts (<paramref name="options"/>).</summary>
    public static byte[] Write(LintResult result, SarifOptions options) => Write(result, ToolVersion, options);

    /// <summary>Serialises <paramref name="result"/> naming <paramref name="toolVersion"/> as the driver's version.</summary>
    public static byte[] Write(LintResult result, string toolVersion, SarifOptions? options = null)
    {
        options ??= new SarifOptions();
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
            w.WriteString("version", "2.1.0");
            w.WriteStartArray("runs");
            w.WriteStartObject();
            WriteTool(w, result, toolVersion);
            // The language of every text below (messages, rule texts); fingerprints hash English facts, never these texts.
            w.WriteString("language", Texts.LanguageOf(result.Culture));
            if (options.Category is { Length: > 0 } category)
            {
                // GitHub code scanning keeps one set of alerts per tool and category: one category per project.
                w.WriteStartObject("automationDetails");
                w.WriteString("id", $"{ToolName.ToLowerInvariant()}/{SafeText.Escape(category.Trim('/'))}/");
                w.WriteEndObject();
            }
            if (options.RepositoryUri is { Length: > 0 } repository)
            {
                w.WriteStartArray("versionControlProvenance");
                w.WriteStartObject();
                w.WriteString("repositoryUri", SafeText.Escape(repository, SafeText.MaxPathLength));
                if (options.RevisionId is { Length: > 0 } revision) w.WriteString("revisionId", SafeText.Escape(revision));
                if (options.Branch is { Length: > 0 } branch) w.WriteString("branch", SafeText.Escape(branch));
                w.WriteStartObject("mappedTo"); w.WriteString("uriBaseId", "%SRCROOT%"); w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndArray();
            }
            w.WriteStartObject("originalUriBaseIds");
            w.WriteStartObject("%SRCROOT%");
            w.WriteString("uri", new Uri(result.SourceRoot.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar).AbsoluteUri);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartArray("results");
            var index = result.Rules.Select((r, i) => (r.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
            foreach (var d in result.Diagnostics) WriteResult(w, d, index[d.Id], result.SourceRoot);
            w.WriteEndArray();
            w.WriteString("columnKind", "utf16CodeUnits");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }
        var text = Encoding.UTF8.GetString(stream.ToArray()).Replace("\r\n", "\n") + "\n";
        return Encoding.UTF8.GetBytes(text);
    }

    private static void WriteTool(Utf8JsonWriter w, LintResult result, string version)
    {
        w.WriteStartObject("tool");
        w.WriteStartObject("driver");
        w.WriteString("name", ToolName);
        w.WriteString("version", version);
        w.WriteString("semanticVersion", version.Split('+')[0]);
        if (HelpLinks.Repository is { } home) w.WriteString("informationUri", home);
        w.WriteStartArray("rules");
        var culture = result.Culture;
        foreach (var r in result.Rules)
        {
            var title = r.TitleIn(culture);
            var description = r.DescriptionIn(culture);
            w.WriteStartObject();
            w.WriteString("id", r.Id);
            w.WriteString("name", r.Name);
            w.WriteStartObject("shortDescription"); w.WriteString("text", title); w.WriteEndObject();
            w.WriteStartObject("fullDescription"); w.WriteString("text", description); w.WriteEndObject();
            if (r.HelpUri is { } uri) w.WriteString("helpUri", uri);
            w.WriteStartObject("help");
            w.WriteString("text", Texts.Diagnostics.Text("Sarif.HelpText", description, HelpLinks.For(r.Id) ?? HelpLinks.Command(r.Id)).ToString(culture));
            w.WriteString("markdown", RuleDocs.Markdown(r.Id, culture) ?? $"**{r.Id}: {title}**\n\n{description}");
            w.WriteEndObject();
            w.WriteStartObject("defaultConfiguration"); w.WriteString("level", SeverityText.ToSarifLevel(r.DefaultSeverity)); w.WriteEndObject();
            w.WriteStartObject("properties");
            w.WriteStartArray("tags"); w.WriteStringValue("security"); w.WriteStringValue("tls"); w.WriteStringValue(r.Category.ToString().ToLowerInvariant()); w.WriteEndArray();
            w.WriteString("precision", r.Category == RuleCategory.Input ? "high" : "very-high");
            w.WriteString("security-severity", r.DefaultSeverity switch { Severity.Error => "7.5", Severity.Warning => "5.0", _ => "2.0" });
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteResult(Utf8JsonWriter w, Diagnostic d, int ruleIndex, string root)
    {
        w.WriteStartObject();
        w.WriteString("ruleId", d.Id);
        w.WriteNumber("ruleIndex", ruleIndex);
        w.WriteString("level", SeverityText.ToSarifLevel(d.Severity));
        w.WriteStartObject("message"); w.WriteString("text", d.Message); w.WriteEndObject();
        w.WriteStartArray("locations");
        w.WriteStartObject();
        WritePhysical(w, d.Location, root);
        w.WriteEndObject();
        w.WriteEndArray();
        if (d.RelatedLocations.Count > 0)
        {
            w.WriteStartArray("relatedLocations");
            for (var i = 0; i < d.RelatedLocations.Count; i++)
            {
                w.WriteStartObject();
                w.WriteNumber("id", i + 1);
                WritePhysical(w, d.RelatedLocations[i], root);
                w.WriteStartObject("message"); w.WriteString("text", "The certificate this finding is about."); w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteStartObject("partialFingerprints");
        w.WriteString("mustStapleFinding/v2", Fingerprint(d, root));
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WritePhysical(Utf8JsonWriter w, SourceLocation l, string root)
    {
        w.WriteStartObject("physicalLocation");
        w.WriteStartObject("artifactLocation");
        var relative = Relative(l.Path, root);
        if (relative is not null)
        {
            w.WriteString("uri", relative);
            w.WriteString("uriBaseId", "%SRCROOT%");
        }
        else
        {
            w.WriteString("uri", new Uri(l.Path).AbsoluteUri);
        }
        w.WriteEndObject();
        w.WriteStartObject("region");
        w.WriteNumber("startLine", l.Line);
        w.WriteNumber("startColumn", l.Column);
        w.WriteNumber("endLine", l.EndLine);
        w.WriteNumber("endColumn", Math.Max(l.EndColumn, l.Column));
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>The path relative to <paramref name="root"/> as a URI reference with '/' separators, or null when outside it.</summary>
    public static string? Relative(string path, string root) =>
        SourcePaths.RelativeTo(path, root) is { } relative
            ? string.Join("/", relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Select(Uri.EscapeDataString))
            : null;

    // From stable facts only: the rule, the file, the files it relates to (the certificate a configuration line serves)
    // and what the finding is about (certificate names, configuration keys, values: Diagnostic.Facts, which leave out
    // instants such as the clock). Never the message text or a line number: a run a day later, or a line moved within
    // the file, keeps the same alert.
    /// <summary>The finding's SARIF fingerprint (<c>partialFingerprints["mustStapleFinding/v2"]</c>), for other sinks that key alerts.</summary>
    public static string Fingerprint(Diagnostic d, string root)
    {
        var key = new StringBuilder().Append(d.Id).Append('|').Append(Relative(d.Location.Path, root) ?? d.Location.Path);
        foreach (var related in d.RelatedLocations) key.Append('|').Append(Relative(related.Path, root) ?? related.Path);
        foreach (var fact in d.Facts) key.Append('|').Append(fact.Replace("|", "||"));
        return Certificates.X509Facts.Sha256Hex(Encoding.UTF8.GetBytes(key.ToString())).Substring(0, 32);
    }
}

/// <summary>What a front knows beyond the result: the category (one per project) and the repository being linted.</summary>
public sealed class SarifOptions
{
    /// <summary>
    /// The project or folder this log covers, relative to the source root ('/' separators): the code scanning
    /// category (<c>runs[0].automationDetails.id</c> = <c>muststaple/&lt;category&gt;/</c>).
    /// </summary>
    public string? Category { get; init; }

    /// <summary>The linted repository's URL (<c>versionControlProvenance</c>), when known.</summary>
    public string? RepositoryUri { get; init; }

    /// <summary>The commit linted, when known.</summary>
    public string? RevisionId { get; init; }

    /// <summary>The branch linted, when known.</summary>
    public string? Branch { get; init; }

    /// <summary>The category for <paramref name="folder"/>: its path relative to <paramref name="sourceRoot"/>, or <c>root</c>.</summary>
    public static string CategoryFor(string folder, string sourceRoot)
    {
        var full = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        var relative = SourcePaths.RelativeTo(full, sourceRoot);
        return relative is { Length: > 0 } ? relative.Replace('\\', '/') : "root";
    }
}

/// <summary>The rule pages (<c>docs/rules/ID.md</c>) embedded in the assembly, for SARIF <c>help.markdown</c>.</summary>
public static class RuleDocs
{
    /// <summary>The IDs that have a page, sorted: every docs/rules/MST*.md at build time (embedded by glob).</summary>
    public static IReadOnlyList<string> Ids { get; } = typeof(RuleDocs).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith("MustStaple.Docs.MST", StringComparison.Ordinal) && n.EndsWith(".md", StringComparison.Ordinal))
        .Select(n => n.Substring("MustStaple.Docs.".Length, n.Length - "MustStaple.Docs.".Length - ".md".Length))
        .OrderBy(n => n, StringComparer.Ordinal).ToArray();

    /// <summary>The page for <paramref name="id"/>, or null.</summary>
    public static string? Markdown(string id) => Markdown(id, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The page for <paramref name="id"/> in <paramref name="culture"/>'s language (<c>docs/rules/ja/ID.md</c>, embedded
    /// by glob), the English page when that language has none, or null.
    /// </summary>
    public static string? Markdown(string id, System.Globalization.CultureInfo culture) =>
        (Texts.IsJapanese(culture) ? Read($"MustStaple.Docs.ja.{id}.md") : null) ?? Read($"MustStaple.Docs.{id}.md");

    private static string? Read(string name)
    {
        using var stream = typeof(RuleDocs).Assembly.GetManifestResourceStream(name);
        if (stream is null) return null;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().Replace("\r\n", "\n");
    }
}

using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>MST0003: configuration references a certificate file that does not exist, or that publish does not ship.</summary>
internal sealed class CertificateFileMissing : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.CertificateFileMissing,
        name: nameof(CertificateFileMissing),
        title: "Referenced certificate file is missing",
        messageFormat: "{0} '{1}' of {2} {3}: Kestrel will fail to start. {4}",
        RuleCategory.Input, Severity.Error,
        description: "A Kestrel certificate Path or KeyPath points at a file that does not exist relative to the content root, or that the publish output does not contain.");

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context)
    {
        static string name(string key) => key.Substring(key.LastIndexOf(':') + 1);
        foreach (var section in context.Deployments.SelectMany(d => d.CertificateSections.Select(s => (d, s))))
        {
            foreach (var entry in new[] { section.s.Path, section.s.KeyPath })
            {
                if (entry?.Value is not { Length: > 0 } value) continue;
                if (Kestrel.KestrelConfigReader.TryResolvePath(value, section.d.ContentRoot) is not { } full)
                {
                    yield return Diagnostic.Create(Descriptor, entry.ValueLocation, name(entry.Key), value, section.s.Owner,
                        "is not a valid file name (it holds a NUL or control character)", "Fix the path");
                    continue;
                }
                if (!Discovery.InputFile.IsUnderRoot(full, context.SourceRoot)) continue; // MST0004's case: never looked at
                if (!File.Exists(full))
                    yield return Diagnostic.Create(Descriptor, entry.ValueLocation, name(entry.Key), value, section.s.Owner,
                        $"does not exist (looked for {full})", "Fix the path (it is relative to the content root) or add the file");
                else if (context.PublishedFiles is { } published && !published.Contains(full))
                    yield return Diagnostic.Create(Descriptor, entry.ValueLocation, name(entry.Key), value, section.s.Owner,
                        "is not in the publish output", "Publish it: <None Update=\"" + value + "\" CopyToPublishDirectory=\"PreserveNewest\" />");
            }
        }
    }
}

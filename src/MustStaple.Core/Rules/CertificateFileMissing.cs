using MustStaple.Diagnostics;
using MustStaple.Hosting;
using MustStaple.Localization;

namespace MustStaple.Rules;

/// <summary>MST0003: configuration references a certificate file that does not exist, or that publish does not ship.</summary>
internal sealed class CertificateFileMissing : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.CertificateFileMissing, nameof(CertificateFileMissing), RuleCategory.Input, Severity.Error);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context)
    {
        static string name(string key) => key.Substring(key.LastIndexOf(':') + 1);
        foreach (var section in context.Deployments.SelectMany(d => d.CertificateSections.Select(s => (d, s))))
        {
            foreach (var (entry, full) in new[] { (section.s.Path, section.s.ResolvedPath), (section.s.KeyPath, section.s.ResolvedKeyPath) })
            {
                if (entry?.Value is not { Length: > 0 } value) continue;
                if (full is null)
                {
                    if (Discovery.InputFile.HasInvalidCharacters(value))
                        yield return Diagnostic.Create(Descriptor, entry.ValueLocation, name(entry.Key), value, section.s.Owner,
                            Texts.Rules.Text("CertificateFileMissing.InvalidName"), Texts.Rules.Text("CertificateFileMissing.InvalidName.Fix"));
                    continue; // else a container path nothing in the repository provides: MST0004's case
                }
                if (!Discovery.InputFile.IsUnderRoot(full, context.SourceRoot)) continue; // MST0004's case: never looked at
                if (!File.Exists(full))
                    yield return Diagnostic.Create(Descriptor, entry.ValueLocation, name(entry.Key), value, section.s.Owner,
                        Texts.Rules.Text("CertificateFileMissing.Missing", full), Texts.Rules.Text("CertificateFileMissing.Missing.Fix"));
                else if (context.PublishedFiles is { } published && !published.Contains(full) && !IsProvidedByContainer(section.s, entry))
                    yield return Diagnostic.Create(Descriptor, entry.ValueLocation, name(entry.Key), value, section.s.Owner,
                        Texts.Rules.Text("CertificateFileMissing.NotPublished"), PublishAdvice(entry == section.s.KeyPath, value));
            }
        }
    }

    // A private key must not ship inside the image or the publish folder: mount it at run time. A certificate may ship.
    private static LocalizedText PublishAdvice(bool isKey, string value) => isKey
        ? Texts.Rules.Text("CertificateFileMissing.NotPublished.FixKey")
        : Texts.Rules.Text("CertificateFileMissing.NotPublished.Fix", value);

    // A file a compose volume or Dockerfile COPY puts into the container does not need to be published.
    private static bool IsProvidedByContainer(Kestrel.CertificateSettings s, Kestrel.ConfigEntry entry) =>
        entry.Value is { Length: > 0 } v && v[0] == '/' && (entry == s.Path ? s.PathProvision is not null : true);
}

using MustStaple.Diagnostics;
using MustStaple.Hosting;

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
                            "is not a valid file name (it holds a NUL or control character)", "Fix the path");
                    continue; // else a container path nothing in the repository provides: MST0004's case
                }
                if (!Discovery.InputFile.IsUnderRoot(full, context.SourceRoot)) continue; // MST0004's case: never looked at
                if (!File.Exists(full))
                    yield return Diagnostic.Create(Descriptor, entry.ValueLocation, name(entry.Key), value, section.s.Owner,
                        $"does not exist (looked for {full})", "Fix the path (it is relative to the content root) or add the file");
                else if (context.PublishedFiles is { } published && !published.Contains(full) && !IsProvidedByContainer(section.s, entry))
                    yield return Diagnostic.Create(Descriptor, entry.ValueLocation, name(entry.Key), value, section.s.Owner,
                        "is not in the publish output", PublishAdvice(entry == section.s.KeyPath, value));
            }
        }
    }

    // A private key must not ship inside the image or the publish folder: mount it at run time. A certificate may ship.
    private static string PublishAdvice(bool isKey, string value) => isKey
        ? "Mount the key at run time instead of shipping it: a secret or volume (docker run -v, a compose secret, a Kubernetes Secret) at a path KeyPath names, e.g. /run/secrets/site.key, or Kestrel__Certificates__Default__KeyPath set where it runs; never copy a private key into the publish output"
        : "Publish it (<None Update=\"" + value + "\" CopyToPublishDirectory=\"PreserveNewest\" />) or mount it at run time (a volume or secret) at the path configured";

    // A file a compose volume or Dockerfile COPY puts into the container does not need to be published.
    private static bool IsProvidedByContainer(Kestrel.CertificateSettings s, Kestrel.ConfigEntry entry) =>
        entry.Value is { Length: > 0 } v && v[0] == '/' && (entry == s.Path ? s.PathProvision is not null : true);
}

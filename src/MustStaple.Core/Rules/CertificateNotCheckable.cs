using MustStaple.Diagnostics;
using MustStaple.Hosting;

namespace MustStaple.Rules;

/// <summary>MST0004: the certificate is outside the repository or in a store, so it cannot be checked.</summary>
internal sealed class CertificateNotCheckable : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.CertificateNotCheckable, nameof(CertificateNotCheckable), RuleCategory.Input, Severity.Note);

    public DiagnosticDescriptor Rule => Descriptor;

    // Load problems under this ID (a certificate file that links out of the repository) carry their whole message.
    private static readonly DiagnosticDescriptor AsIs = new(Descriptor.Id, Descriptor.Name,
        Descriptor.Category, Descriptor.DefaultSeverity, messageKey: "Verbatim");

    public IEnumerable<Diagnostic> Evaluate(LintContext context)
    {
        foreach (var p in context.Problems(RuleIds.CertificateNotCheckable))
            yield return Diagnostic.Create(AsIs, p.Location, p.Message);
        var neverStarts = new HashSet<Kestrel.CertificateSettings>(KestrelWillNotStart.LocalMachineMyOnLinux(context).Select(x => x.Settings));
        foreach (var s in context.Deployments.SelectMany(d => d.CertificateSections))
        {
            if (neverStarts.Contains(s)) continue; // MST2004: Kestrel does not start, certain rather than uncheckable
            if (s.Subject?.Value is { Length: > 0 } subject && s.Path is null)
                yield return Diagnostic.Create(Descriptor, s.Subject.ValueLocation, s.Owner, $"comes from the certificate store (Subject '{subject}')",
                    "If it is must-staple, serve it from a PEM chain file instead: Kestrel passes no chain for store certificates");
            else if (s.Path?.Value is not { Length: > 0 } p) continue;
            else if (s.PathNotProvided)
                yield return Diagnostic.Create(Descriptor, s.Path.ValueLocation, s.Owner,
                    $"is read from the container path '{p}', which nothing in the repository provides (no Dockerfile COPY/ADD, compose volume, secret or config puts a file there)",
                    "If the file is in the repository, provide it: a compose volume (./certs:" + ContainerFolder(p) + "), a compose secret with file:, or a Dockerfile COPY; otherwise run dotnet muststaple-lint where it is provisioned");
            else if (s.PathProvision is { HostPath: null, Excluded: null } outside)
                yield return Diagnostic.Create(Descriptor, s.Path.ValueLocation, [outside.Mount.Location], s.Owner,
                    $"is read from '{p}', which {outside.Mount.Provider} provides from outside the repository",
                    "Run dotnet muststaple-lint on that file where it is provisioned");
            else if (s.ResolvedPath is { } file && !Discovery.InputFile.IsUnderRoot(file, context.SourceRoot))
                yield return Diagnostic.Create(Descriptor, s.Path.ValueLocation, s.PathProvision is { } via ? [via.Mount.Location] : [], s.Owner,
                    s.PathProvision is { } v ? $"is read from '{p}', which {v.Mount.Provider} provides from '{file}', outside the repository (it was not opened)" : $"is read from '{p}', outside the repository (it was not opened)",
                    "Run dotnet muststaple-lint on that file where it is provisioned");
        }
    }

    private static string ContainerFolder(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash > 0 ? path.Substring(0, slash) : "/https";
    }
}

using MustStaple.Diagnostics;
using MustStaple.Hosting;
using MustStaple.Localization;

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
            yield return Diagnostic.Create(AsIs, p.Location, p.Text);
        var neverStarts = new HashSet<Kestrel.CertificateSettings>(KestrelWillNotStart.LocalMachineMyOnLinux(context).Select(x => x.Settings));
        foreach (var s in context.Deployments.SelectMany(d => d.CertificateSections))
        {
            if (neverStarts.Contains(s)) continue; // MST2004: Kestrel does not start, certain rather than uncheckable
            if (s.Subject?.Value is { Length: > 0 } subject && s.Path is null)
                yield return Diagnostic.Create(Descriptor, s.Subject.ValueLocation, s.Owner, Texts.Rules.Text("CertificateNotCheckable.Store", subject),
                    Texts.Rules.Text("CertificateNotCheckable.Store.Fix"));
            else if (s.Path?.Value is not { Length: > 0 } p) continue;
            else if (s.PathNotProvided)
                yield return Diagnostic.Create(Descriptor, s.Path.ValueLocation, s.Owner,
                    Texts.Rules.Text("CertificateNotCheckable.NotProvided", p),
                    Texts.Rules.Text("CertificateNotCheckable.NotProvided.Fix", ContainerFolder(p)));
            else if (s.PathProvision is { HostPath: null, Excluded: null } outside)
                yield return Diagnostic.Create(Descriptor, s.Path.ValueLocation, [outside.Mount.Location], s.Owner,
                    Texts.Rules.Text("CertificateNotCheckable.MountedFromOutside", p, outside.Mount.Provider),
                    Texts.Rules.Text("CertificateNotCheckable.RunWhereProvisioned"));
            else if (s.ResolvedPath is { } file && !Discovery.InputFile.IsUnderRoot(file, context.SourceRoot))
                yield return Diagnostic.Create(Descriptor, s.Path.ValueLocation, s.PathProvision is { } via ? [via.Mount.Location] : [], s.Owner,
                    s.PathProvision is { } v ? Texts.Rules.Text("CertificateNotCheckable.OutsideVia", p, v.Mount.Provider, file) : Texts.Rules.Text("CertificateNotCheckable.Outside", p),
                    Texts.Rules.Text("CertificateNotCheckable.RunWhereProvisioned"));
        }
    }

    private static string ContainerFolder(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash > 0 ? path.Substring(0, slash) : "/https";
    }
}

using MustStaple.Diagnostics;
using MustStaple.Kestrel;
using MustStaple.Localization;

namespace MustStaple.Rules;

/// <summary>MST2004: the effective certificate settings make Kestrel throw at startup (docs/evidence/kestrel.md#item9, docs/evidence/kestrel.md#round3).</summary>
internal sealed class KestrelWillNotStart : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.KestrelWillNotStart, nameof(KestrelWillNotStart), RuleCategory.Configuration, Severity.Error);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context)
    {
        foreach (var d in context.Deployments)
        {
            // §2.7.4: an empty Path (an ARG the stage does not see) counts as absent, and nothing else serves the https address.
            if (d.EmptyDefaultCertificate is var (empty, address))
                yield return Diagnostic.Create(Descriptor, empty.Path!.ValueLocation, [address.ValueLocation],
                    Texts.Rules.Text("KestrelWillNotStart.EmptyPath", empty.Owner, Where(empty.Path!), address.Key, Where(address)),
                    "\"No server certificate was specified\"",
                    Discovery.AssetClassifier.Classify(Path.GetFileName(empty.Path!.Source)) == Discovery.AssetKind.Dockerfile
                        ? Texts.Rules.Text("KestrelWillNotStart.EmptyPath.FixArg")
                        : Texts.Rules.Text("KestrelWillNotStart.EmptyPath.Fix"));
        }
        foreach (var s in context.Deployments.SelectMany(d => d.CertificateSections).Distinct())
        {
            // §2.7.5: the COPY that should put the file there sends nothing of it: .dockerignore keeps it out of the build context.
            if (s.Path?.Value is { Length: > 0 } ignoredPath && s.PathProvision is { Excluded: { } ignoreLine } provision)
            {
                yield return Diagnostic.Create(Descriptor, s.Path.ValueLocation, [ignoreLine, provision.Mount.Location],
                    Texts.Rules.Text("KestrelWillNotStart.DockerIgnored", s.Owner, ignoredPath, provision.Mount.Provider, ignoreLine.Line),
                    "DirectoryNotFoundException / FileNotFoundException",
                    Texts.Rules.Text("KestrelWillNotStart.DockerIgnored.Fix"));
                continue;
            }
            if (s.Path?.Value is not { Length: > 0 } path || context.FileAt(s.ResolvedPath) is not { } file) continue;
            if (s.KeyPath?.Value is { Length: > 0 } keyPath && file.IsPkcs12)
                yield return Diagnostic.Create(Descriptor, s.KeyPath.ValueLocation, [s.Path.ValueLocation],
                    Texts.Rules.Text("KestrelWillNotStart.PfxWithKeyPath", s.Owner, path, Where(s.Path), keyPath, Where(s.KeyPath)),
                    "\"The provided key file is missing or invalid\"",
                    Texts.Rules.Text("KestrelWillNotStart.PfxWithKeyPath.Fix"));
            else if (!file.IsPkcs12 && s.KeyPath?.Value is { Length: > 0 } pemKey && s.Password?.Value is { Length: > 0 } && s.KeyEncrypted == false)
                yield return Diagnostic.Create(Descriptor, s.Password.KeyLocation, [s.KeyPath.ValueLocation],
                    Texts.Rules.Text("KestrelWillNotStart.PasswordOnPlainKey", Where(s.Password), s.Owner, pemKey),
                    "\"No supported key formats were found\"",
                    Texts.Rules.Text("KestrelWillNotStart.PasswordOnPlainKey.Fix"));
            else if (!file.IsPkcs12 && s.KeyPath?.Value is { Length: > 0 } lockedKey && s.Password is null && s.KeyEncrypted == true)
                yield return Diagnostic.Create(Descriptor, s.KeyPath.ValueLocation,
                    Texts.Rules.Text("KestrelWillNotStart.EncryptedKey", lockedKey, s.Owner, Where(s.KeyPath)),
                    "\"An encrypted key was found, but no password was provided\"",
                    Texts.Rules.Text("KestrelWillNotStart.EncryptedKey.Fix"));
            else if (!file.IsPkcs12 && file.Certificates.Count > 1 && file.Certificates[0].IsCa && file.Certificates.FirstOrDefault(c => !c.IsCa) is { } leaf)
                yield return Diagnostic.Create(Descriptor, s.Path.ValueLocation, [file.Certificates[0].Origin, leaf.Origin],
                    Texts.Rules.Text("KestrelWillNotStart.CaFirst", path, s.Owner, file.Certificates[0].DisplayName, leaf.DisplayName),
                    "\"Error getting private key\"",
                    Texts.Rules.Text("KestrelWillNotStart.CaFirst.Fix"));
        }

        // §2.7.6: Linux opens only LocalMachine's Root and CA stores; a served store certificate from LocalMachine\My throws.
        foreach (var (d, s) in LocalMachineMyOnLinux(context))
            yield return Diagnostic.Create(Descriptor, s.Location!.ValueLocation, [s.Subject!.ValueLocation],
                Texts.Rules.Text("KestrelWillNotStart.LocalMachineMy", s.Owner, s.StoreName, Where(s.Location), d.PlatformReason),
                "\"Unix LocalMachine X509Store is limited to the Root and CertificateAuthority stores\"",
                Texts.Rules.Text("KestrelWillNotStart.LocalMachineMy.Fix"));
    }

    /// <summary>The served store certificates of Linux deployments that Kestrel would look for in LocalMachine\My.</summary>
    internal static IEnumerable<(Deployment Deployment, CertificateSettings Settings)> LocalMachineMyOnLinux(LintContext context) =>
        from d in context.Deployments
        where d.Platform == TargetPlatform.Linux
        from s in d.Served.Select(x => x.Settings).Distinct()
        where s.IsLocalMachineMy
        select (d, s);

    private static LocalizedText Where(ConfigEntry e) => Texts.Rules.Text("KestrelWillNotStart.Where", Path.GetFileName(e.KeyLocation.Path), e.KeyLocation.Line);
}

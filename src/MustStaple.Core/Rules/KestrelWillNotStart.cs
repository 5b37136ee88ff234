using MustStaple.Diagnostics;
using MustStaple.Kestrel;

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
                    $"the Path of {empty.Owner} is an empty string ({Where(empty.Path!)}), which counts as no certificate, and {address.Key} ({Where(address)}) asks for an https address",
                    "\"No server certificate was specified\"",
                    Discovery.AssetClassifier.Classify(Path.GetFileName(empty.Path!.Source)) == Discovery.AssetKind.Dockerfile
                        ? "An ARG declared before the first FROM is empty inside a stage: declare it again after FROM (ARG NAME), or write the path"
                        : "Set the Path, or remove the empty variable");
        }
        foreach (var s in context.Deployments.SelectMany(d => d.CertificateSections).Distinct())
        {
            // §2.7.5: the COPY that should put the file there sends nothing of it: .dockerignore keeps it out of the build context.
            if (s.Path?.Value is { Length: > 0 } ignoredPath && s.PathProvision is { Excluded: { } ignoreLine } provision)
            {
                yield return Diagnostic.Create(Descriptor, s.Path.ValueLocation, [ignoreLine, provision.Mount.Location],
                    $"the certificate of {s.Owner} is '{ignoredPath}', which '{provision.Mount.Provider}' would copy, but .dockerignore line {ignoreLine.Line} keeps it out of the build context",
                    "DirectoryNotFoundException / FileNotFoundException",
                    "Remove the pattern from .dockerignore, or add an exception for the certificate (!certs/site.pem)");
                continue;
            }
            if (s.Path?.Value is not { Length: > 0 } path || context.FileAt(s.ResolvedPath) is not { } file) continue;
            if (s.KeyPath?.Value is { Length: > 0 } keyPath && file.IsPkcs12)
                yield return Diagnostic.Create(Descriptor, s.KeyPath.ValueLocation, [s.Path.ValueLocation],
                    $"the certificate of {s.Owner} is the PFX '{path}' ({Where(s.Path)}), but KeyPath '{keyPath}' ({Where(s.KeyPath)}) applies to it too, so Kestrel reads the PFX as a PEM certificate with a separate key",
                    "\"The provided key file is missing or invalid\"",
                    "Remove KeyPath from the layer that sets it (a PFX carries its key), or keep the certificate a PEM file in every layer");
            else if (!file.IsPkcs12 && s.KeyPath?.Value is { Length: > 0 } pemKey && s.Password?.Value is { Length: > 0 } && s.KeyEncrypted == false)
                yield return Diagnostic.Create(Descriptor, s.Password.KeyLocation, [s.KeyPath.ValueLocation],
                    $"Password ({Where(s.Password)}) applies to {s.Owner}, whose KeyPath '{pemKey}' is an unencrypted PEM key, so Kestrel tries to decrypt it",
                    "\"No supported key formats were found\"",
                    "Remove the Password from the layer that sets it (it belonged to a PFX), or encrypt the key");
            else if (!file.IsPkcs12 && s.KeyPath?.Value is { Length: > 0 } lockedKey && s.Password is null && s.KeyEncrypted == true)
                yield return Diagnostic.Create(Descriptor, s.KeyPath.ValueLocation,
                    $"the KeyPath '{lockedKey}' of {s.Owner} ({Where(s.KeyPath)}) is an encrypted PEM key, and no Password applies to it",
                    "\"An encrypted key was found, but no password was provided\"",
                    "Give the key's Password to Kestrel (an environment variable or a secret, not a committed file), or use an unencrypted key file");
            else if (!file.IsPkcs12 && file.Certificates.Count > 1 && file.Certificates[0].IsCa && file.Certificates.FirstOrDefault(c => !c.IsCa) is { } leaf)
                yield return Diagnostic.Create(Descriptor, s.Path.ValueLocation, [file.Certificates[0].Origin, leaf.Origin],
                    $"the PEM file '{path}' of {s.Owner} starts with the CA certificate '{file.Certificates[0].DisplayName}', not with the leaf '{leaf.DisplayName}', and Kestrel serves the first certificate of the file with the key",
                    "\"Error getting private key\"",
                    "Put the leaf certificate first, then its intermediate(s)");
        }

        // §2.7.6: Linux opens only LocalMachine's Root and CA stores; a served store certificate from LocalMachine\My throws.
        foreach (var (d, s) in LocalMachineMyOnLinux(context))
            yield return Diagnostic.Create(Descriptor, s.Location!.ValueLocation, [s.Subject!.ValueLocation],
                $"the certificate of {s.Owner} is read from the LocalMachine\\{s.StoreName} store ({Where(s.Location)}), which .NET cannot open on Linux ({d.PlatformReason})",
                "\"Unix LocalMachine X509Store is limited to the Root and CertificateAuthority stores\"",
                "On Linux only LocalMachine's Root and CA stores open: serve the certificate from a PEM Path with its full chain (Kestrel passes no chain for store certificates), or use Location CurrentUser");
    }

    /// <summary>The served store certificates of Linux deployments that Kestrel would look for in LocalMachine\My.</summary>
    internal static IEnumerable<(Deployment Deployment, CertificateSettings Settings)> LocalMachineMyOnLinux(LintContext context) =>
        from d in context.Deployments
        where d.Platform == TargetPlatform.Linux
        from s in d.Served.Select(x => x.Settings).Distinct()
        where s.IsLocalMachineMy
        select (d, s);

    private static string Where(ConfigEntry e) => $"set in {Path.GetFileName(e.KeyLocation.Path)} line {e.KeyLocation.Line}";
}

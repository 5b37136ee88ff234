using MustStaple.Diagnostics;
using MustStaple.Kestrel;

namespace MustStaple.Rules;

/// <summary>MST2004: the effective certificate settings make Kestrel throw at startup (docs/evidence/kestrel.md#item9).</summary>
internal sealed class KestrelWillNotStart : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.KestrelWillNotStart,
        name: nameof(KestrelWillNotStart),
        title: "Kestrel will not start with this certificate configuration",
        messageFormat: "Kestrel will not start: {0} ({1}). {2}",
        RuleCategory.Configuration, Severity.Error,
        description: "Measured with a real Kestrel 10: a KeyPath that also applies to a PFX Path, a Password that also applies to an unencrypted PEM key, and a PEM Path that starts with a CA certificate instead of the leaf each make Kestrel throw while it binds. Configuration layers (appsettings.json, appsettings.{Environment}.json, environment variables) merge key by key, so an overlay that changes only Path or KeyPath inherits the other keys.");

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context)
    {
        foreach (var s in context.Deployments.SelectMany(d => d.CertificateSections).Distinct())
        {
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
            else if (!file.IsPkcs12 && file.Certificates.Count > 1 && file.Certificates[0].IsCa && file.Certificates.FirstOrDefault(c => !c.IsCa) is { } leaf)
                yield return Diagnostic.Create(Descriptor, s.Path.ValueLocation, [file.Certificates[0].Origin, leaf.Origin],
                    $"the PEM file '{path}' of {s.Owner} starts with the CA certificate '{file.Certificates[0].DisplayName}', not with the leaf '{leaf.DisplayName}', and Kestrel serves the first certificate of the file with the key",
                    "\"Error getting private key\"",
                    "Put the leaf certificate first, then its intermediate(s)");
        }
    }

    private static string Where(ConfigEntry e) => $"set in {Path.GetFileName(e.KeyLocation.Path)} line {e.KeyLocation.Line}";
}

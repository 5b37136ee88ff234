using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>MST1005: a CA certificate carries must-staple.</summary>
internal sealed class MustStapleOnCaCertificate : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.MustStapleOnCaCertificate,
        name: nameof(MustStapleOnCaCertificate),
        title: "CA certificate carries must-staple",
        messageFormat: "CA certificate '{0}' carries the must-staple TLS Feature: servers staple only the leaf's OCSP response, and clients that apply the flag to issuers will refuse every certificate it issues. Reissue the CA certificate without the TLS Feature extension",
        RuleCategory.Certificate, Severity.Warning,
        description: "The TLS Feature extension belongs on end-entity certificates. Servers staple the leaf's status only; on a CA certificate the flag is at best ignored and at worst fails every chain through it.");

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.Certificates
            .Where(c => c.IsCa && c.IsMustStaple)
            .Select(c => Diagnostic.Create(Descriptor, c.Origin, c.DisplayName));
}

using MustStaple.Diagnostics;

namespace MustStaple.Rules;

// The rules of Kestrel configured in C#. They need the compiler's semantic model, so MustStaple.Analyzers reports
// them during the build (with the certificate facts Core writes, Kestrel/CodeFacts.cs); the lint, which reads files
// only, reports none. Core keeps their catalogue entries (ID, title, severity, docs) like every other rule's, and
// MustStaple.Analyzers.Tests holds the analyzer's descriptors equal to these.

/// <summary>MST0007: a certificate configured in code cannot be checked.</summary>
internal sealed class CodeCertificateUnknown : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.CodeCertificateUnknown, nameof(CodeCertificateUnknown), RuleCategory.Input, Severity.Note);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) => [];
}

/// <summary>MST3007: a certificate selector never staples.</summary>
internal sealed class SelectorNeverStaples : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.SelectorNeverStaples, nameof(SelectorNeverStaples), RuleCategory.Stapling, Severity.Error);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) => [];
}

/// <summary>MST3008: a TLS callback that sets a bare ServerCertificate never staples.</summary>
internal sealed class BareCertificateNeverStaples : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.BareCertificateNeverStaples, nameof(BareCertificateNeverStaples), RuleCategory.Stapling, Severity.Error);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) => [];
}

/// <summary>MST3009: SslStreamCertificateContext created with offline: true never staples.</summary>
internal sealed class OfflineContextNeverStaples : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.OfflineContextNeverStaples, nameof(OfflineContextNeverStaples), RuleCategory.Stapling, Severity.Error);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) => [];
}

/// <summary>MST3010: the EnableServerOcspStaplingFromOnlyCertificateOnLinux switch does not make Kestrel staple.</summary>
internal sealed class StaplingSwitchDoesNotHelp : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.StaplingSwitchDoesNotHelp, nameof(StaplingSwitchDoesNotHelp), RuleCategory.Stapling, Severity.Warning);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) => [];
}

/// <summary>MST3011: an SslStreamCertificateContext created inside a per-connection TLS callback never staples.</summary>
internal sealed class PerHandshakeContextNeverStaples : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.PerHandshakeContextNeverStaples, nameof(PerHandshakeContextNeverStaples), RuleCategory.Stapling, Severity.Error);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) => [];
}

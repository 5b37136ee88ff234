using MustStaple.Diagnostics;

namespace MustStaple.Rules;

// The rules of Kestrel configured in C#. They need the compiler's semantic model, so MustStaple.Analyzers reports
// them during the build (with the certificate facts Core writes, Kestrel/CodeFacts.cs); the lint, which reads files
// only, reports none. Core keeps their catalogue entries (ID, title, severity, docs) like every other rule's, and
// MustStaple.Analyzers.Tests holds the analyzer's descriptors equal to these.

/// <summary>MST0007: a certificate configured in code cannot be checked.</summary>
internal sealed class CodeCertificateUnknown : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.CodeCertificateUnknown, nameof(CodeCertificateUnknown),
        "A certificate configured in code cannot be checked",
        "The certificate {0} is {1}: whether it is must-staple, and so whether it will be stapled, cannot be checked at build time",
        RuleCategory.Input, Severity.Note,
        "The project has a must-staple certificate, and Kestrel is configured in code with a certificate the analyzer cannot resolve to a project file (a store, a secret, a path outside the project or computed at run time). Reported by the analyzer at build time.");

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) => [];
}

/// <summary>MST3007: a certificate selector never staples.</summary>
internal sealed class SelectorNeverStaples : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.SelectorNeverStaples, nameof(SelectorNeverStaples),
        "A certificate selector never staples",
        "Must-staple certificate '{0}' ('{1}') is served through {2}, which never staples: .NET builds a per-handshake context with OCSP fetching off. Set ServerCertificate (+ ServerCertificateChain) instead, or return a cached SslStreamCertificateContext.Create(cert, chain) from a TLS callback.",
        RuleCategory.Stapling, Severity.Error,
        "With ServerCertificateSelector (or ServerCertificateSelectionCallback) Kestrel creates no SslStreamCertificateContext; SslStream builds one per handshake with OCSP fetching off (docs/evidence/kestrel.md, row C-code-selector). Reported by the analyzer at build time.");

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) => [];
}

/// <summary>MST3008: a TLS callback that sets a bare ServerCertificate never staples.</summary>
internal sealed class BareCertificateNeverStaples : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.BareCertificateNeverStaples, nameof(BareCertificateNeverStaples),
        "A TLS callback that sets a bare ServerCertificate never staples",
        "Must-staple certificate '{0}' ('{1}') is set as SslServerAuthenticationOptions.ServerCertificate{2}: .NET then builds a context per handshake and never staples it in time. Set ServerCertificateContext to a cached SslStreamCertificateContext.Create(cert, chain) created once at startup.",
        RuleCategory.Stapling, Severity.Error,
        "A TlsHandshakeCallbackOptions/ServerOptionsSelectionCallback or an OnAuthenticate that sets ServerCertificate instead of a cached ServerCertificateContext gets a per-handshake context and no staple (C-code-callback-cert, C-code-onauth-null-context). Reported by the analyzer at build time.");

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) => [];
}

/// <summary>MST3009: SslStreamCertificateContext created with offline: true never staples.</summary>
internal sealed class OfflineContextNeverStaples : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.OfflineContextNeverStaples, nameof(OfflineContextNeverStaples),
        "SslStreamCertificateContext created with offline: true never staples",
        "Must-staple certificate '{0}' ('{1}') gets an SslStreamCertificateContext created with offline: true, which never fetches OCSP: pass offline: false",
        RuleCategory.Stapling, Severity.Error,
        "offline: true disables the context's AIA downloads and OCSP fetch (C-code-callback-context-offline). Reported by the analyzer at build time; a code fix passes offline: false.");

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) => [];
}

/// <summary>MST3010: the EnableServerOcspStaplingFromOnlyCertificateOnLinux switch does not make Kestrel staple.</summary>
internal sealed class StaplingSwitchDoesNotHelp : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.StaplingSwitchDoesNotHelp, nameof(StaplingSwitchDoesNotHelp),
        "The EnableServerOcspStaplingFromOnlyCertificateOnLinux switch does not make Kestrel staple",
        "This switch does not make a must-staple certificate stapled: with a bare ServerCertificate .NET fetches OCSP on every handshake and never staples in time. Use ServerCertificate (+ ServerCertificateChain) or a cached SslStreamCertificateContext.Create(cert, chain) instead.",
        RuleCategory.Stapling, Severity.Warning,
        "With the switch, a callback returning a bare ServerCertificate triggers one OCSP fetch per handshake that the handshake never waits for (C-…-with-appcontext-switch). Reported by the analyzer at build time.");

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) => [];
}

/// <summary>MST3011: an SslStreamCertificateContext created inside a per-connection TLS callback never staples.</summary>
internal sealed class PerHandshakeContextNeverStaples : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.PerHandshakeContextNeverStaples, nameof(PerHandshakeContextNeverStaples),
        "An SslStreamCertificateContext created per handshake never staples",
        "Must-staple certificate '{0}' ('{1}') gets a new SslStreamCertificateContext on every handshake ({2}): each new context starts its own OCSP fetch, which that handshake never waits for, so no staple is ever sent. Create the context once, outside the callback, and return that one.",
        RuleCategory.Stapling, Severity.Error,
        "Measured with a real Kestrel 10 on Linux (docs/evidence/kestrel.md#round3-context): SslStreamCertificateContext.Create(cert, chain, offline: false) inside TlsHandshakeCallbackOptions.OnConnection sends the full chain and makes one OCSP request per handshake, and never staples; the same context created once outside the callback staples. Reported by the analyzer at build time.");

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) => [];
}

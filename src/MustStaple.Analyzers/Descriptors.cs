using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace MustStaple.Analyzers;

/// <summary>
/// The analyzer's diagnostics. IDs, titles and default severities are Core's (<c>RuleIds.cs</c>, the rule classes,
/// <c>docs/rules/</c>); a test in MustStaple.Analyzers.Tests holds them equal, since this assembly cannot load Core.
/// </summary>
internal static class Descriptors
{
    /// <summary>Help links only when the build stamped the repository URL (build/Repository.targets); none is invented.</summary>
    private static class Help
    {
        private static readonly string? Url = Metadata("RepositoryUrl");
        private static readonly string Ref = Metadata("RepositoryRef") ?? "main";

        public static string? For(string id) => Url is null ? null : $"{Url}/blob/{Ref}/docs/rules/{id}.md";

        private static string? Metadata(string key) =>
            typeof(Descriptors).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
                .OfType<System.Reflection.AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value is { Length: > 0 } v ? v : null;
    }

    private const string Stapling = "Stapling";
    private const string Input = "Input";

    public static readonly DiagnosticDescriptor ChainIncomplete = new(
        "MST3001",
        "Kestrel cannot complete the must-staple certificate's chain, so it never staples",
        "Must-staple certificate '{0}' ('{1}') served here will never be stapled on Linux: {2}, and no http caIssuers URL lets Kestrel fetch the rest. {3}.",
        Stapling, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "On Linux, Kestrel staples only when SslStreamCertificateContext completes the chain to a self-signed root at startup. Certificates loaded in code reach it without a chain unless ServerCertificateChain is set; the certificates inside a PFX are never used.", helpLinkUri: Help.For("MST3001"));

    public static readonly DiagnosticDescriptor ChainNeedsDownload = new(
        "MST3002",
        "Must-staple chain completes only by downloading at startup",
        "Must-staple certificate '{0}' ('{1}') served here is stapled only if Kestrel can download the missing issuer at startup: {2}. Without egress to the caIssuers URL, Firefox and GnuTLS refuse every connection. {3}.",
        Stapling, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "The chain completes only through an http caIssuers download when the server starts, which depends on egress.", helpLinkUri: Help.For("MST3002"));

    public static readonly DiagnosticDescriptor MacOSNeverStaples = new(
        "MST3003",
        "Kestrel never staples on macOS",
        "Must-staple certificate '{0}' ('{1}') is served by Kestrel on macOS, which has no OCSP stapling code: Firefox and GnuTLS refuse every connection",
        Stapling, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "The macOS build of System.Net.Security has no server-side OCSP stapling.", helpLinkUri: Help.For("MST3003"));

    public static readonly DiagnosticDescriptor WindowsDoesNotStaple = new(
        "MST3004",
        "Kestrel does not staple on Windows",
        "Must-staple certificate '{0}' ('{1}') is served by Kestrel on Windows, where .NET never fetches or staples OCSP: expect Firefox and GnuTLS to refuse the connection",
        Stapling, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: ".NET has no server-side OCSP code on Windows; the runtime maintainers report that SChannel did not staple in their tests.", helpLinkUri: Help.For("MST3004"));

    public static readonly DiagnosticDescriptor SelectorNeverStaples = new(
        "MST3007",
        "A certificate selector never staples",
        "Must-staple certificate '{0}' ('{1}') is served through {2}, which never staples: .NET builds a per-handshake context with OCSP fetching off. Set ServerCertificate (+ ServerCertificateChain) instead, or return a cached SslStreamCertificateContext.Create(cert, chain) from a TLS callback.",
        Stapling, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "With ServerCertificateSelector (or SslServerAuthenticationOptions.ServerCertificateSelectionCallback) Kestrel creates no SslStreamCertificateContext; SslStream builds one per handshake with noOcspFetch, so no staple is ever sent (docs/evidence/kestrel.md, row C-code-selector).", helpLinkUri: Help.For("MST3007"));

    public static readonly DiagnosticDescriptor BareCertificateNeverStaples = new(
        "MST3008",
        "A TLS callback that sets a bare ServerCertificate never staples",
        "Must-staple certificate '{0}' ('{1}') is set as SslServerAuthenticationOptions.ServerCertificate{2}: .NET then builds a context per handshake and never staples it in time. Set ServerCertificateContext to a cached SslStreamCertificateContext.Create(cert, chain) created once at startup.",
        Stapling, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A TlsHandshakeCallbackOptions/ServerOptionsSelectionCallback or an OnAuthenticate that sets ServerCertificate (instead of a cached ServerCertificateContext) gets a per-handshake context: no staple (C-code-callback-cert, C-code-onauth-null-context), even with the EnableServerOcspStaplingFromOnlyCertificateOnLinux switch.", helpLinkUri: Help.For("MST3008"));

    public static readonly DiagnosticDescriptor OfflineContextNeverStaples = new(
        "MST3009",
        "SslStreamCertificateContext created with offline: true never staples",
        "Must-staple certificate '{0}' ('{1}') gets an SslStreamCertificateContext created with offline: true, which never fetches OCSP: pass offline: false",
        Stapling, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "offline: true disables the AIA downloads and the OCSP fetch of the context, so no staple is ever sent (C-code-callback-context-offline).", helpLinkUri: Help.For("MST3009"));

    public static readonly DiagnosticDescriptor StaplingSwitchDoesNotHelp = new(
        "MST3010",
        "The EnableServerOcspStaplingFromOnlyCertificateOnLinux switch does not make Kestrel staple",
        "This switch does not make a must-staple certificate stapled: with a bare ServerCertificate .NET fetches OCSP on every handshake and never staples in time. Use ServerCertificate (+ ServerCertificateChain) or a cached SslStreamCertificateContext.Create(cert, chain) instead.",
        Stapling, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "Measured on .NET 10: with the switch, a callback returning ServerCertificate triggers one OCSP fetch per handshake and the handshake never waits for it (C-…-with-appcontext-switch).", helpLinkUri: Help.For("MST3010"));

    public static readonly DiagnosticDescriptor PerHandshakeContextNeverStaples = new(
        "MST3011",
        "An SslStreamCertificateContext created per handshake never staples",
        "Must-staple certificate '{0}' ('{1}') gets a new SslStreamCertificateContext on every handshake ({2}): each new context starts its own OCSP fetch, which that handshake never waits for, so no staple is ever sent. Create the context once, outside the callback, and return that one.",
        Stapling, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "SslStreamCertificateContext.Create(cert, chain, offline: false) inside TlsHandshakeCallbackOptions.OnConnection sends the full chain and makes one OCSP request per handshake, and never staples; created once outside the callback, it staples (docs/evidence/kestrel.md#round3-context).");

    public static readonly DiagnosticDescriptor CodeCertificateUnknown = new(
        "MST0007",
        "A certificate configured in code cannot be checked",
        "The certificate {0} is {1}: whether it is must-staple, and so whether it will be stapled, cannot be checked at build time",
        Input, DiagnosticSeverity.Info, isEnabledByDefault: true,
        description: "The project has a must-staple certificate, and Kestrel is configured in code with a certificate the analyzer cannot resolve to a project file (a store, a secret, a path outside the project or computed at run time).", helpLinkUri: Help.For("MST0007"));

    /// <summary>Every descriptor (SupportedDiagnostics).</summary>
    public static ImmutableArray<DiagnosticDescriptor> All { get; } = ImmutableArray.Create(
        ChainIncomplete, ChainNeedsDownload, MacOSNeverStaples, WindowsDoesNotStaple,
        SelectorNeverStaples, BareCertificateNeverStaples, OfflineContextNeverStaples, StaplingSwitchDoesNotHelp, PerHandshakeContextNeverStaples,
        CodeCertificateUnknown);
}

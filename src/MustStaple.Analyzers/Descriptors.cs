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

    // Title, message and description are Resources' <id>_Title, <id>_Message, <id>_Description (English neutral, ja satellite).
    private static DiagnosticDescriptor Rule(string id, string category, DiagnosticSeverity severity, bool help = true) => new(
        id, Resources.Text(id + "_Title"), Resources.Text(id + "_Message"), category, severity, isEnabledByDefault: true,
        description: Resources.Text(id + "_Description"), helpLinkUri: help ? Help.For(id) : null);

    public static readonly DiagnosticDescriptor ChainIncomplete = Rule("MST3001", Stapling, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor ChainNeedsDownload = Rule("MST3002", Stapling, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor MacOSNeverStaples = Rule("MST3003", Stapling, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor WindowsDoesNotStaple = Rule("MST3004", Stapling, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor SelectorNeverStaples = Rule("MST3007", Stapling, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor BareCertificateNeverStaples = Rule("MST3008", Stapling, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor OfflineContextNeverStaples = Rule("MST3009", Stapling, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor StaplingSwitchDoesNotHelp = Rule("MST3010", Stapling, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor PerHandshakeContextNeverStaples = Rule("MST3011", Stapling, DiagnosticSeverity.Error, help: false);

    public static readonly DiagnosticDescriptor CodeCertificateUnknown = Rule("MST0007", Input, DiagnosticSeverity.Info);

    /// <summary>Every descriptor (SupportedDiagnostics).</summary>
    public static ImmutableArray<DiagnosticDescriptor> All { get; } = ImmutableArray.Create(
        ChainIncomplete, ChainNeedsDownload, MacOSNeverStaples, WindowsDoesNotStaple,
        SelectorNeverStaples, BareCertificateNeverStaples, OfflineContextNeverStaples, StaplingSwitchDoesNotHelp, PerHandshakeContextNeverStaples,
        CodeCertificateUnknown);
}

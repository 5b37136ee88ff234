using MustStaple.Diagnostics;
using MustStaple.Servers;

namespace MustStaple.Rules;

/// <summary>MST4001: a server serves a must-staple certificate with stapling switched off.</summary>
internal sealed class StaplingOff : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.StaplingOff, nameof(StaplingOff), RuleCategory.Servers, Severity.Error);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.ServerServedMustStaple()
            .Where(s => s.Endpoint.Server != ServerKind.HAProxy && !s.Endpoint.StaplingOn)
            .Select(s => Diagnostic.Create(Descriptor, s.Endpoint.StaplingDirective?.Location ?? s.Served.Certificate.Location,
                [s.Served.Certificate.Location, s.Leaf.Origin], s.Leaf.DisplayName, s.Endpoint.Name,
                s.Endpoint.StaplingDirective is { } d ? $" ('{d.Name} {d.Value}')" : " (the default)", Fix(s.Endpoint.Server)));

    private static string Fix(ServerKind server) => server switch
    {
        ServerKind.Nginx => "Add 'ssl_stapling on;' (and an 'ssl_stapling_file', see MST4006) to the server or http block",
        ServerKind.Apache => "Add 'SSLUseStapling on' to the virtual host and a global 'SSLStaplingCache shmcb:${APACHE_RUN_DIR}/ssl_stapling(32768)' (or 'MDStapling on' for mod_md)",
        ServerKind.Caddy => "Remove 'ocsp_stapling off' from the global options",
        _ => "Enable OCSP stapling",
    };
}

using MustStaple.Diagnostics;
using MustStaple.Servers;

namespace MustStaple.Rules;

/// <summary>MST4003: Apache's SSLUseStapling without a global SSLStaplingCache: Apache will not start.</summary>
internal sealed class ApacheStaplingCacheMissing : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.ApacheStaplingCacheMissing,
        name: nameof(ApacheStaplingCacheMissing),
        title: "Apache SSLUseStapling without a global SSLStaplingCache: Apache will not start",
        messageFormat: "{0} sets 'SSLUseStapling on' but the server configuration has no 'SSLStaplingCache': 'apache2 -t' says Syntax OK, yet startup fails with AH01958 'no stapling cache available'. Add a global 'SSLStaplingCache shmcb:${{APACHE_RUN_DIR}}/ssl_stapling(32768)'",
        RuleCategory.Servers, Severity.Error,
        description: "mod_ssl needs a stapling cache, configured once in the server configuration (outside any <VirtualHost>), for every virtual host with SSLUseStapling on. Without it the configuration test passes but Apache exits at startup (AH01958, AH02312).");

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        from d in context.Servers
        where d.Server == ServerKind.Apache && !d.IsPartial && d.Global("SSLStaplingCache") is null
        from e in d.Endpoints
        where e.Setting("SSLUseStapling") is { IsOn: true }
        select Diagnostic.Create(Descriptor, e.Setting("SSLUseStapling")!.Location, e.Name);
}

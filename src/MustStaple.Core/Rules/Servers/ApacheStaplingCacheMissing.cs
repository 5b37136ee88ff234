using MustStaple.Diagnostics;
using MustStaple.Servers;

namespace MustStaple.Rules;

/// <summary>MST4003: Apache's SSLUseStapling without a global SSLStaplingCache: Apache will not start.</summary>
internal sealed class ApacheStaplingCacheMissing : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.ApacheStaplingCacheMissing, nameof(ApacheStaplingCacheMissing), RuleCategory.Servers, Severity.Error);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        from d in context.Servers
        where d.Server == ServerKind.Apache && !d.IsPartial && d.Global("SSLStaplingCache") is null
        from e in d.Endpoints
        where e.Setting("SSLUseStapling") is { IsOn: true }
        select Diagnostic.Create(Descriptor, e.Setting("SSLUseStapling")!.Location, e.Label);
}

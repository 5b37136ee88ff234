using MustStaple.Localization;
using System.Globalization;
using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>MST5001: an ACME client requests must-staple from a CA that refuses it (Let's Encrypt since 2025-05-07).</summary>
internal sealed class MustStapleRefusedByCa : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.MustStapleRefusedByCa, nameof(MustStapleRefusedByCa), RuleCategory.Acme, Severity.Error);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.AcmeRequests
            .Where(r => r.Authority.RefusesMustStaple(context.Now))
            .Select(r => Diagnostic.Create(Descriptor, r.Location, r.ServerLocation is { } at ? [at] : [],
                r.Label, r.Switch, r.Authority.Name, r.Server is null ? Texts.Rules.Text("Acme.ClientDefault", r.Client) : "",
                r.Authority.MustStapleRefused!.Value.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
}

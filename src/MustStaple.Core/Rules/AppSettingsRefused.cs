using MustStaple.Diagnostics;
using MustStaple.Localization;

namespace MustStaple.Rules;

/// <summary>
/// MST0008: an appsettings file the deployed app loads (appsettings.json, or the environment's overlay) is refused by
/// Microsoft.Extensions.Configuration.Json, so the app throws at start-up — an outage, and every verdict of the
/// configuration behind it is unknown. Located where the parser stops. Files the deployment does not load (another
/// environment's overlay) stay MST0001 warnings.
/// </summary>
internal sealed class AppSettingsRefused : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.AppSettingsRefused, nameof(AppSettingsRefused), RuleCategory.Input, Severity.Error);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context) =>
        context.Deployments.SelectMany(d => d.RefusedAppSettings.Select(e => (d, e)))
            .GroupBy(x => (x.e.Location.Path, x.e.Location.Line, x.e.Location.Column)).Select(g => g.First())
            .Select(x => Diagnostic.Create(Descriptor, x.e.Location,
                Texts.Input.Text("AppSettingsRefused", Path.GetFileName(x.e.Location.Path), x.d.Environment, x.e.Text)));
}

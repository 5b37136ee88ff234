using MustStaple.Localization;
using System.Globalization;
using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>MST6004: the stapled response is valid, but its nextUpdate is closer than the threshold.</summary>
internal sealed class ProbeStapleExpiresSoon : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.ProbeStapleExpiresSoon, nameof(ProbeStapleExpiresSoon), RuleCategory.Probe, Severity.Warning);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context)
    {
        foreach (var (endpoint, leaf, _) in ProbeVerdicts.MustStaple(context))
        {
            var facts = endpoint.Staples.Where(s => s is not null).ToList();
            if (facts.Count == 0 || facts.Any(f => StapleFileInvalid.Problem(f!, context.Now) is not null)) continue; // MST6001, MST6002
            var soonest = facts.Where(f => f!.NextUpdate is not null).OrderBy(f => f!.NextUpdate).FirstOrDefault();
            if (soonest is not { NextUpdate: { } next, ThisUpdate: { } issued }) continue;
            // A response with a short life, just fetched, is not stale: only one past half its life is, as servers refresh by then.
            var left = next - context.Now;
            if (left >= endpoint.MinStapleValidity || left.Ticks >= (next - issued).Ticks / 2) continue;
            yield return Diagnostic.Create(Descriptor, endpoint.Location, endpoint.Target.Display, leaf.DisplayName,
                next, Duration(endpoint.MinStapleValidity), context.Now);
        }
    }

    internal static LocalizedText Duration(TimeSpan t) =>
        t.TotalDays >= 1 && t.TotalDays % 1 == 0 ? Texts.Rules.Text("Duration.Days", t.TotalDays)
        : t.TotalHours >= 1 && t.TotalHours % 1 == 0 ? Texts.Rules.Text("Duration.Hours", t.TotalHours)
        : t.TotalMinutes >= 1 && t.TotalMinutes % 1 == 0 ? Texts.Rules.Text("Duration.Minutes", t.TotalMinutes)
        : Texts.Rules.Text("Duration.Seconds", t.TotalSeconds);
}

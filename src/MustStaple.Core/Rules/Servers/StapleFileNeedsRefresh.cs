using MustStaple.Localization;
using System.Globalization;
using MustStaple.Diagnostics;
using MustStaple.Servers;

namespace MustStaple.Rules;

/// <summary>MST4008: a valid staple file, and how long it has left: nothing in the server refreshes it.</summary>
internal sealed class StapleFileNeedsRefresh : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.StapleFileNeedsRefresh, nameof(StapleFileNeedsRefresh), RuleCategory.Servers, Severity.Note);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context)
    {
        foreach (var s in context.ServerServedMustStaple())
        {
            if (s.Served.StapleFile is not { } file || s.Served.Staple is not { NextUpdate: { } next } facts) continue;
            if (s.Endpoint.Server == ServerKind.Nginx && !s.Endpoint.StaplingOn) continue;
            if (StapleFileInvalid.Problem(facts, context.Now, s.Endpoint.Server) is not null) continue; // MST4005
            if (s.Endpoint.Server == ServerKind.HAProxy && !s.IssuerCandidates(context.FileAt).Any(c => ServerServed.IsIssuerOf(c, s.Leaf)))
                continue; // HAProxy does not start: MST4002
            var until = s.Endpoint.Server == ServerKind.HAProxy ? SaturatingTime.Subtract(next, StapleFileInvalid.HAProxySkew) : next;
            var effect = Texts.Rules.Text(s.Endpoint.Server == ServerKind.HAProxy ? "StapleFileNeedsRefresh.Effect.HAProxy" : "StapleFileNeedsRefresh.Effect.Nginx");
            yield return Diagnostic.Create(Descriptor, file.Location, [SourceLocation.StartOf(file.ResolvedPath!)],
                file.Value, s.Leaf.DisplayName, s.Endpoint.Label, StapleFileInvalid.Format(until), Left(until - context.Now),
                StapleFileInvalid.Format(context.Now), effect);
        }
    }

    private static LocalizedText Left(TimeSpan t) =>
        t.TotalDays >= 1 ? Texts.Rules.Text("Duration.DaysHours", Math.Floor(t.TotalDays), t.Hours)
        : t.TotalHours >= 1 ? Texts.Rules.Text("Duration.HoursMinutes", Math.Floor(t.TotalHours), t.Minutes)
        : Texts.Rules.Text("Duration.Minutes", Math.Max(0, Math.Floor(t.TotalMinutes)));
}

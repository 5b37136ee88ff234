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
            var effect = s.Endpoint.Server == ServerKind.HAProxy
                ? "HAProxy stops stapling it 300 s before its nextUpdate and never fetches a new one"
                : "nginx keeps serving it, expired, until a reload brings a new one";
            yield return Diagnostic.Create(Descriptor, file.Location, [SourceLocation.StartOf(file.ResolvedPath!)],
                file.Value, s.Leaf.DisplayName, s.Endpoint.Name, StapleFileInvalid.Format(until), Left(until - context.Now),
                StapleFileInvalid.Format(context.Now), effect);
        }
    }

    private static string Left(TimeSpan t) =>
        t.TotalDays >= 1 ? $"{Math.Floor(t.TotalDays).ToString(CultureInfo.InvariantCulture)} d {t.Hours.ToString(CultureInfo.InvariantCulture)} h"
        : t.TotalHours >= 1 ? $"{Math.Floor(t.TotalHours).ToString(CultureInfo.InvariantCulture)} h {t.Minutes.ToString(CultureInfo.InvariantCulture)} min"
        : $"{Math.Max(0, Math.Floor(t.TotalMinutes)).ToString(CultureInfo.InvariantCulture)} min";
}

using MustStaple.Localization;
using System.Globalization;
using MustStaple.Diagnostics;
using MustStaple.Servers;

namespace MustStaple.Rules;

/// <summary>MST4005: the staple file a server serves from is no valid OCSP response for the certificate at <c>now</c>.</summary>
internal sealed class StapleFileInvalid : IRule
{
    /// <summary>HAProxy stops stapling a response this long before its nextUpdate (docs/evidence/haproxy.md#h03b).</summary>
    public static readonly TimeSpan HAProxySkew = TimeSpan.FromSeconds(300);

    public static readonly DiagnosticDescriptor Descriptor = new(RuleIds.StapleFileInvalid, nameof(StapleFileInvalid), RuleCategory.Servers, Severity.Error);

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context)
    {
        foreach (var s in context.ServerServedMustStaple())
        {
            if (s.Served.StapleFile is not { } file || s.Served.Staple is not { } facts) continue;
            if (s.Endpoint.Server == ServerKind.Nginx && !s.Endpoint.StaplingOn) continue; // nginx ignores the file then: MST4001
            if (Problem(facts, context.Now, s.Endpoint.Server) is not { } problem) continue;
            var effect = Texts.Rules.Text(s.Endpoint.Server == ServerKind.HAProxy ? "StapleFileInvalid.Effect.HAProxy" : "StapleFileInvalid.Effect.Nginx");
            yield return Diagnostic.Create(Descriptor, file.Location, [SourceLocation.StartOf(file.ResolvedPath!), s.Leaf.Origin],
                file.Value, s.Leaf.DisplayName, s.Endpoint.Label, problem, effect);
        }
    }

    /// <summary>What is wrong with the response at <paramref name="now"/>, or null when a client accepts it.</summary>
    internal static LocalizedText? Problem(StapleFacts facts, DateTimeOffset now, ServerKind server)
    {
        if (Problem(facts, now) is { } problem) return problem;
        if (server == ServerKind.HAProxy && facts.NextUpdate is { } n && SaturatingTime.Subtract(n, HAProxySkew) <= now)
            return Texts.Rules.Text("StapleProblem.HAProxyWindow", Format(n));
        return null;
    }

    /// <summary>What is wrong with the response at <paramref name="now"/> for any client (a file or a live staple), or null.</summary>
    internal static LocalizedText? Problem(StapleFacts facts, DateTimeOffset now)
    {
        if (facts.Unusable is { } unusable) return Texts.Rules.Text("StapleProblem.Unusable", unusable);
        if (!facts.MatchesCertificate) return Texts.Rules.Text("StapleProblem.OtherCertificate");
        if (facts.SignatureValid == false) return Texts.Rules.Text("StapleProblem.Signature");
        if (facts.CertStatus != "good") return Texts.Rules.Text("StapleProblem.Status", facts.CertStatus);
        if (facts.ThisUpdate > now) return Texts.Rules.Text("StapleProblem.NotYetValid", Format(facts.ThisUpdate.Value));
        if (facts.NextUpdate is { } next && next <= now) return Texts.Rules.Text("StapleProblem.Expired", Format(next));
        return null;
    }

    internal static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

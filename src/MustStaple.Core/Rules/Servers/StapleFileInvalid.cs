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
            var effect = s.Endpoint.Server == ServerKind.HAProxy
                ? "HAProxy drops or stops stapling it, so no handshake carries a staple and must-staple clients refuse every connection"
                : "nginx staples it as it is, without checking, and must-staple clients reject it and refuse every connection";
            yield return Diagnostic.Create(Descriptor, file.Location, [SourceLocation.StartOf(file.ResolvedPath!), s.Leaf.Origin],
                file.Value, s.Leaf.DisplayName, s.Endpoint.Name, problem, effect);
        }
    }

    /// <summary>What is wrong with the response at <paramref name="now"/>, or null when a client accepts it.</summary>
    internal static string? Problem(StapleFacts facts, DateTimeOffset now, ServerKind server)
    {
        if (Problem(facts, now) is { } problem) return problem;
        if (server == ServerKind.HAProxy && facts.NextUpdate is { } n && SaturatingTime.Subtract(n, HAProxySkew) <= now)
            return $"has nextUpdate {Format(n)}, within the 300 s before which HAProxy stops stapling";
        return null;
    }

    /// <summary>What is wrong with the response at <paramref name="now"/> for any client (a file or a live staple), or null.</summary>
    internal static string? Problem(StapleFacts facts, DateTimeOffset now)
    {
        if (facts.Unusable is { } unusable) return "is unusable: " + unusable;
        if (!facts.MatchesCertificate) return "is for another certificate (no single response's CertID names this certificate and its issuer)";
        if (facts.SignatureValid == false) return "has a signature that neither the issuer nor a responder it delegated to made";
        if (facts.CertStatus != "good") return $"says the certificate's status is {facts.CertStatus}";
        if (facts.ThisUpdate > now) return $"is not valid yet (thisUpdate {Format(facts.ThisUpdate.Value)})";
        if (facts.NextUpdate is { } next && next <= now) return $"expired at {Format(next)} (nextUpdate)";
        return null;
    }

    internal static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

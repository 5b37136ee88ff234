using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>MST6003: stapled on some handshakes only, typically from the second one (nginx's per-worker cache).</summary>
internal sealed class ProbeStapleLate : IRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.ProbeStapleLate,
        name: nameof(ProbeStapleLate),
        title: "Must-staple certificate stapled on some handshakes only",
        messageFormat: "{0} stapled must-staple certificate '{1}' on {2} but not on {3} ({4}): each unstapled connection is refused by Firefox and GnuTLS. nginx fetches the response on a worker's first handshake, once per worker and after every reload: give it ssl_stapling_file with a refreshed response, or warm every worker after a reload",
        RuleCategory.Probe, Severity.Warning,
        description: "Some handshakes carried a staple and some did not. nginx without ssl_stapling_file fetches the response lazily, on the first handshake each worker process serves, and sends that handshake unstapled; servers behind a load balancer may differ. Every connection that meets an unstapled handshake fails in Firefox and GnuTLS.");

    public DiagnosticDescriptor Rule => Descriptor;

    public IEnumerable<Diagnostic> Evaluate(LintContext context)
    {
        foreach (var (endpoint, leaf, completed) in ProbeVerdicts.MustStaple(context))
        {
            var stapled = completed.Where(h => h.Staple is not null).ToList();
            var unstapled = completed.Where(h => h.Staple is null).ToList();
            if (stapled.Count == 0 || unstapled.Count == 0) continue; // MST6001, or stapled every time
            yield return Diagnostic.Create(Descriptor, endpoint.Location, endpoint.Target.Display, leaf.DisplayName,
                ProbeVerdicts.Numbers(stapled), ProbeVerdicts.Numbers(unstapled), ProbeVerdicts.Versions(completed));
        }
    }
}

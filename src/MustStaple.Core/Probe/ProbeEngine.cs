using MustStaple.Certificates;
using MustStaple.Diagnostics;
using MustStaple.Rules;
using MustStaple.Servers;

namespace MustStaple.Probe;

/// <summary>
/// The probe's entry point: handshake with every target (a bounded number at once), read what each handshake showed
/// (chain facts, staples judged by the staple-file reader), then judge with the certificate rules (MST1xxx, on the served
/// chain) and the probe rules (MST6xxx). Never throws for what a server sends; a failed connection is a finding.
/// </summary>
public static class ProbeEngine
{
    /// <summary>Probes every target of <paramref name="request"/> and judges what they served.</summary>
    public static LintResult Run(ProbeRequest request)
    {
        var endpoints = new ProbedEndpoint[request.Targets.Count];
        var next = -1;
        void Work()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < endpoints.Length) endpoints[i] = Probe(request.Targets[i], request);
        }
        // Dedicated threads: each handshake blocks on its socket, and the thread pool would add threads only slowly.
        var workers = Enumerable.Range(0, Math.Max(1, Math.Min(request.MaxParallel, endpoints.Length)) - 1)
            .Select(_ => new Thread(Work) { IsBackground = true, Name = "muststaple-probe" }).ToList();
        foreach (var t in workers) t.Start();
        Work();
        foreach (var t in workers) t.Join();
        return Judge(endpoints, request);
    }

    /// <summary>The certificate rules (on the served chains) and the probe rules over what the handshakes showed.</summary>
    internal static LintResult Judge(IReadOnlyList<ProbedEndpoint> endpoints, ProbeRequest request)
    {
        var root = request.SourceRoot ?? Directory.GetCurrentDirectory();
        var chains = endpoints.Select(e => e.Chain).OfType<CertificateFile>().ToList();
        var context = new LintContext(request.Now, chains, RetiredResponderList.Shipped, sourceRoot: root, probes: endpoints);
        var rules = RuleSet.All.Where(r => r.Rule.Category is RuleCategory.Certificate or RuleCategory.Probe).ToList();
        var policy = new SeverityPolicy(new Dictionary<string, Severity>(), new LintRequest
        {
            Paths = [],
            Now = request.Now,
            NoWarn = request.NoWarn,
            WarningsAsErrors = request.WarningsAsErrors,
            TreatWarningsAsErrors = request.TreatWarningsAsErrors,
        });
        var diagnostics = LintEngine.Judge(context, rules, policy);
        return new LintResult(diagnostics, rules.Select(r => r.Rule).OrderBy(r => r.Id, StringComparer.Ordinal).ToArray(), root,
            endpoints.Count(e => e.Completed.Any())) { Culture = context.Culture };
    }

    /// <summary>The handshakes with one endpoint, one new connection each, and what they showed.</summary>
    internal static ProbedEndpoint Probe(ProbeTarget target, ProbeRequest request)
    {
        var handshakes = new List<HandshakeObservation>();
        for (var n = 1; n <= Math.Max(1, request.Handshakes); n++)
        {
            var h = TlsHandshake.Run(target, n, request.Timeout, request.Versions);
            handshakes.Add(h);
            if (h.Failure is not null && handshakes.All(x => x.Failure is not null)) break; // nothing answers: do not wait again
            // A server that fetches on demand (nginx, per worker) staples only once its fetch is back: give it that time,
            // so "never stapled" means never, and "late" is told apart from "missing".
            if (h.Failure is null && h.Staple is null && n < request.Handshakes) Thread.Sleep(request.DelayAfterUnstapled);
        }
        return Read(target, handshakes, request);
    }

    /// <summary>What the handshakes with <paramref name="target"/> showed: the served chain's facts and every staple judged.</summary>
    internal static ProbedEndpoint Read(ProbeTarget target, IReadOnlyList<HandshakeObservation> handshakes, ProbeRequest request)
    {
        var served = handshakes.FirstOrDefault(h => h.Failure is null && h.Chain.Count > 0)?.Chain ?? [];
        var location = SourceLocation.StartOf(target.Url);
        var chain = served.Count == 0 ? null : new CertificateFile
        {
            Path = target.Url,
            Certificates = served.Select((der, i) => X509Facts.TryDescribeDer(der, location, CertificateFormat.Der, i)).OfType<CertificateInfo>().ToList(),
            Requests = [],
            Problems = [],
        };
        var staples = new StapleFacts?[handshakes.Count];
        for (var i = 0; i < handshakes.Count; i++)
        {
            if (handshakes[i] is not { Staple: { } staple, Chain: { Count: > 0 } c }) continue;
            staples[i] = i > 0 && handshakes[i - 1].Staple is { } previous && previous.AsSpan().SequenceEqual(staple) && handshakes[i - 1].Chain[0].AsSpan().SequenceEqual(c[0])
                ? staples[i - 1] // the same response for the same leaf: judged once
                : StapleReader.Read(staple, c[0], c.Skip(1).Concat(request.TrustFiles));
        }
        return new ProbedEndpoint { Target = target, Handshakes = handshakes, Chain = chain, Staples = staples, MinStapleValidity = request.MinStapleValidity };
    }
}

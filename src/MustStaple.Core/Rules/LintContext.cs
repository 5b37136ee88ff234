using MustStaple.Acme;
using MustStaple.Certificates;
using MustStaple.Diagnostics;
using MustStaple.Hosting;
using MustStaple.Kestrel;
using MustStaple.Probe;
using MustStaple.Servers;

namespace MustStaple.Rules;

/// <summary>A must-staple certificate that a deployment serves: the unit the MST3xxx verdicts judge.</summary>
public sealed record ServedMustStaple(Deployment Deployment, ServedCertificate Served, CertificateFile File, CertificateInfo Leaf);

/// <summary>Everything the rules look at: read once, shared by all rules.</summary>
public sealed class LintContext
{
    private readonly Dictionary<string, CertificateFile> _byPath;

    /// <summary>Creates a context.</summary>
    public LintContext(DateTimeOffset now, IReadOnlyList<CertificateFile> certificateFiles, RetiredResponderList retiredResponders,
        IReadOnlyList<Deployment>? deployments = null, string? sourceRoot = null, IReadOnlyCollection<string>? publishedFiles = null,
        IReadOnlyList<LoadProblem>? inputProblems = null, IReadOnlyList<ServerDeployment>? servers = null, HostingModel? hosting = null,
        IReadOnlyList<AcmeRequest>? acmeRequests = null, IReadOnlyList<ProbedEndpoint>? probes = null)
    {
        Probes = probes ?? [];
        AcmeRequests = acmeRequests ?? [];
        Hosting = hosting ?? HostingModel.Empty;
        InputProblems = inputProblems ?? [];
        Servers = servers ?? [];
        Now = now;
        CertificateFiles = certificateFiles;
        RetiredResponders = retiredResponders;
        Deployments = deployments ?? [];
        SourceRoot = sourceRoot ?? "";
        PublishedFiles = publishedFiles;
        _byPath = certificateFiles.GroupBy(f => f.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    /// <summary>The key a Kubernetes TLS Secret's certificates are loaded under (see <see cref="FileAt"/>), or null.</summary>
    public static string? SecretKey(KubeTlsSecret? secret) => secret is null ? null : $"{secret.Location.Path}#Secret/{secret.Name}";

    /// <summary>The services the repository's container files describe.</summary>
    public HostingModel Hosting { get; }

    /// <summary>The front the run came through: advice names its options (<see cref="FrontText"/>).</summary>
    public LintFront Front { get; init; }

    /// <summary>The language findings are written in (<see cref="LintRequest.Culture"/>).</summary>
    public System.Globalization.CultureInfo Culture { get; init; } = System.Globalization.CultureInfo.CurrentUICulture;

    /// <summary>The instant validity and retirement are judged at.</summary>
    public DateTimeOffset Now { get; }

    /// <summary>Every certificate-bearing file, sorted by path.</summary>
    public IReadOnlyList<CertificateFile> CertificateFiles { get; }

    /// <summary>Every certificate in every file.</summary>
    public IEnumerable<CertificateInfo> Certificates => CertificateFiles.SelectMany(f => f.Certificates);

    /// <summary>End-entity certificates that are must-staple: the ones that need a staple when served.</summary>
    public IEnumerable<CertificateInfo> MustStapleLeaves => Certificates.Where(c => c.IsMustStaple && !c.IsCa);

    /// <summary>OCSP responders known to be shut down.</summary>
    public RetiredResponderList RetiredResponders { get; }

    /// <summary>The ASP.NET Core content roots found, with their effective Kestrel configuration.</summary>
    public IReadOnlyList<Deployment> Deployments { get; }

    /// <summary>Server configurations other than Kestrel (nginx, HAProxy, Apache, Caddy).</summary>
    public IReadOnlyList<ServerDeployment> Servers { get; }

    /// <summary>
    /// Every server of the model in one list (issue 19): <see cref="Servers"/>, then each Kestrel deployment as a
    /// <see cref="ServerKind.Kestrel"/> server whose endpoint certificates keep what the MST3xxx rules judge. Built once; a
    /// Kestrel server reads its deployment's front (assigned by the engine before judging) through
    /// <see cref="ServerDeployment.KestrelDeployment"/>, never a copy.
    /// </summary>
    public IReadOnlyList<ServerDeployment> AllServers => _allServers ??= [.. Servers, .. Deployments.Select(KestrelServer.From)];

    private IReadOnlyList<ServerDeployment>? _allServers;

    /// <summary>Live endpoints the probe handshook with (<c>muststaple-lint probe</c>); empty in a lint of files.</summary>
    public IReadOnlyList<ProbedEndpoint> Probes { get; }

    /// <summary>
    /// Every must-staple leaf a server endpoint serves and that could, by its OCSP URL, be stapled — and every certificate
    /// an ACME client will write where a server reads it (<see cref="Planned"/>). Computed once.
    /// </summary>
    public IReadOnlyList<ServerServed> ServerServedMustStaple() => _serverServed ??= (
        from d in Servers
        from e in d.Endpoints
        from s in e.Certificates
        let file = RealFileAt(s.Certificate.ResolvedPath)
        where file?.Leaf is { IsMustStaple: true } leaf && leaf.HttpOcspUrls.Any() // MST1001 already says no server can staple it
        select new ServerServed(d, e, s, file, file.Leaf!)).Concat(Planned.Served).ToList();

    private IReadOnlyList<ServerServed>? _serverServed;

    /// <summary>ACME clients' must-staple requests: certificates that do not exist yet.</summary>
    public IReadOnlyList<AcmeRequest> AcmeRequests { get; }

    /// <summary>The requests' certificates placed where server configurations read them. Computed once.</summary>
    public PlannedCertificates Planned => _planned ??= PlannedCertificates.Match(AcmeRequests, Servers, RealFileAt);

    private PlannedCertificates? _planned;

    /// <summary>The repository root; paths outside it cannot be checked.</summary>
    public string SourceRoot { get; }

    /// <summary>When linting a publish: the absolute paths publish ships. Null otherwise.</summary>
    public IReadOnlyCollection<string>? PublishedFiles { get; }

    /// <summary>Problems met opening or reading inputs other than certificate files (configuration, containers, projects).</summary>
    public IReadOnlyList<LoadProblem> InputProblems { get; }

    /// <summary>Every load problem reported under <paramref name="ruleId"/>.</summary>
    public IEnumerable<LoadProblem> Problems(string ruleId) =>
        CertificateFiles.SelectMany(f => f.Problems).Concat(InputProblems).Concat(Servers.SelectMany(s => s.Problems)).Where(p => p.RuleId == ruleId);

    /// <summary>The loaded file at <paramref name="path"/>, if it was read (or the stand-in of a planned certificate).</summary>
    public CertificateFile? FileAt(string? path) => RealFileAt(path) ?? (AcmeRequests.Count > 0 ? Planned.FileAt(path) : null);

    private CertificateFile? RealFileAt(string? path) => path is not null && _byPath.TryGetValue(path, out var f) ? f : null;

    /// <summary>True when <paramref name="path"/> lies inside the repository.</summary>
    public bool IsInRepository(string path) => SourcePaths.RelativeTo(path, SourceRoot) is not null;

    /// <summary>Every must-staple leaf some deployment serves and that could, by its OCSP URL, be stapled. Computed once.</summary>
    public IReadOnlyList<ServedMustStaple> ServedMustStaple() => _served ??= FindServedMustStaple().ToList();

    /// <summary>The Linux chain verdicts that MST3001 and MST3002 share. Computed once.</summary>
    internal IReadOnlyList<ChainVerdicts.Finding> ChainFindings => _chainFindings ??= ChainVerdicts.Evaluate(this).ToList();

    private IReadOnlyList<ServedMustStaple>? _served;
    private IReadOnlyList<ChainVerdicts.Finding>? _chainFindings;

    /// <summary>
    /// The certificate files some Kestrel endpoint (or Sni entry) of some deployment serves, by resolved path. Computed once:
    /// asked per locked PKCS#12 file, which made MST0004/MST0005 a scan of every deployment for each.
    /// </summary>
    internal HashSet<string> KestrelServedPaths => _kestrelServed ??= new HashSet<string>(
        Deployments.SelectMany(d => d.Served).Select(s => s.Settings.ResolvedPath).OfType<string>(), StringComparer.Ordinal);

    private HashSet<string>? _kestrelServed;

    // Kestrel's served certificates as the one endpoint list holds them (issue 19): every ServedCertificate is one EndpointCertificate.
    private IEnumerable<ServedMustStaple> FindServedMustStaple() =>
        from server in AllServers
        where server.KestrelDeployment is not null
        from endpoint in server.Endpoints
        from certificate in endpoint.Certificates
        where certificate.KestrelServed is not null
        let s = certificate.KestrelServed!
        let file = FileAt(s.Settings.ResolvedPath)
        where file?.Leaf is { IsMustStaple: true } leaf && leaf.HttpOcspUrls.Any() // MST1001 already says no server can staple it
        select new ServedMustStaple(server.KestrelDeployment!, s, file!, file!.Leaf!);
}

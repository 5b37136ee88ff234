using MustStaple.Certificates;
using MustStaple.Servers;

namespace MustStaple.Acme;

/// <summary>
/// Certificates that do not exist yet, put where a server will read them: when a server configuration names a file an
/// ACME client writes for a must-staple request, the server is judged as if that certificate were there. The stand-in
/// certificates carry only what the client decides — the name, must-staple, and whether the file holds the chain — and
/// their origin is the request, so every server verdict points back at the switch.
/// </summary>
public sealed class PlannedCertificates
{
    private const string Scheme = "acme-planned:";

    private readonly Dictionary<string, CertificateFile> _files = new(StringComparer.Ordinal);

    private PlannedCertificates(IReadOnlyList<ServerServed> served) => Served = served;

    /// <summary>Endpoints that will serve a must-staple certificate from a request.</summary>
    public IReadOnlyList<ServerServed> Served { get; private set; }

    /// <summary>The stand-in file behind a planned path (never a path on disk); null for any other path.</summary>
    public CertificateFile? FileAt(string? path) => path is not null && _files.TryGetValue(path, out var f) ? f : null;

    /// <summary>Matches <paramref name="requests"/> with the files <paramref name="servers"/> serve; <paramref name="realFileAt"/> gives loaded repository files.</summary>
    public static PlannedCertificates Match(IReadOnlyList<AcmeRequest> requests, IReadOnlyList<ServerDeployment> servers, Func<string?, CertificateFile?> realFileAt)
    {
        var plan = new PlannedCertificates([]);
        var served = new List<ServerServed>();
        if (requests.Count == 0) return plan;
        foreach (var d in servers)
        {
            foreach (var e in d.Endpoints)
            {
                foreach (var s in e.Certificates)
                {
                    // A must-staple certificate in the repository at that path is judged as it is.
                    if (realFileAt(s.Certificate.ResolvedPath)?.Leaf is { IsMustStaple: true }) continue;
                    // The most specific request wins: certbot -d example.org over a loop's -d "$d".
                    var match = requests.Select((r, i) => (r, i, f: r.Files.FirstOrDefault(f => f.Content != PlannedContent.Chain && AcmeOutputs.Matches(f.Pattern, s.Certificate.Value))))
                        .Where(m => m.f is not null).OrderByDescending(m => AcmeOutputs.Specificity(m.f!.Pattern)).FirstOrDefault();
                    if (match.f is null) continue;
                    var (request, index, file) = match;
                    var certificatePath = plan.Add(request, index, file);
                    var issuers = s.IssuerSources.Select(src =>
                        request.Files.FirstOrDefault(f => f.Content != PlannedContent.Leaf && AcmeOutputs.Matches(f.Pattern, src.Value)) is { } chain
                            ? new FileReference(src.Value, src.Location, plan.Add(request, index, chain))
                            : src).ToList();
                    var stand = new EndpointCertificate
                    {
                        Certificate = new FileReference(s.Certificate.Value, s.Certificate.Location, certificatePath),
                        IssuerSources = issuers, StapleFile = s.StapleFile, Staple = s.Staple,
                    };
                    var certificateFile = plan._files[certificatePath];
                    served.Add(new ServerServed(d, e, stand, certificateFile, certificateFile.Leaf!));
                }
            }
        }
        plan.Served = served;
        return plan;
    }

    private string Add(AcmeRequest request, int index, PlannedFile file)
    {
        var path = $"{Scheme}{index}:{file.Pattern}";
        if (_files.ContainsKey(path)) return path;
        var leaf = Leaf(request, index);
        var issuer = Issuer(leaf);
        _files[path] = new CertificateFile
        {
            Path = path,
            Certificates = file.Content switch { PlannedContent.Leaf => [leaf], PlannedContent.Chain => [issuer], _ => [leaf, issuer] },
            Requests = [],
            Problems = [],
        };
        return path;
    }

    private static CertificateInfo Leaf(AcmeRequest r, int index) => new()
    {
        Origin = r.Location,
        Format = CertificateFormat.Pem,
        IndexInFile = 0,
        Subject = $"CN={r.Name ?? "(any name)"} (not issued yet: {r.Client} {r.Switch})".Replace(",", ";"),
        Issuer = $"CN={r.Authority.Name} issuing CA".Replace(",", ";"),
        SubjectKey = $"{Scheme}leaf:{index}",
        IssuerKey = $"{Scheme}ca:{index}",
        SerialNumber = "",
        Sha256 = $"{Scheme}leaf:{index}",
        IsCa = false,
        IsSelfSigned = false,
        NotBefore = DateTimeOffset.MinValue,
        NotAfter = DateTimeOffset.MaxValue,
        TlsFeature = new TlsFeature([TlsFeature.StatusRequest], critical: false, problem: null),
        OcspUrls = [],
        CaIssuerUrls = [],
    };

    private static CertificateInfo Issuer(CertificateInfo leaf) => new()
    {
        Origin = leaf.Origin,
        Format = CertificateFormat.Pem,
        IndexInFile = 1,
        Subject = leaf.Issuer,
        Issuer = leaf.Issuer,
        SubjectKey = leaf.IssuerKey,
        IssuerKey = leaf.IssuerKey,
        SerialNumber = "",
        Sha256 = leaf.IssuerKey,
        IsCa = true,
        IsSelfSigned = false,
        NotBefore = DateTimeOffset.MinValue,
        NotAfter = DateTimeOffset.MaxValue,
        OcspUrls = [],
        CaIssuerUrls = [],
    };
}

using MustStaple.Certificates;
using MustStaple.Diagnostics;

namespace MustStaple.Servers;

/// <summary>The TLS servers whose configuration the lint reads.</summary>
public enum ServerKind
{
    /// <summary>nginx (1.22 measured).</summary>
    Nginx,

    /// <summary>HAProxy (2.6 measured).</summary>
    HAProxy,

    /// <summary>Apache httpd with mod_ssl or mod_md (2.4 measured).</summary>
    Apache,

    /// <summary>Caddy (2.6 measured).</summary>
    Caddy,

    /// <summary>Kestrel (docs/evidence/kestrel.md): one <see cref="ServerDeployment"/> per content root (issue 19).</summary>
    Kestrel,
}

/// <summary>One configuration directive as written: name, arguments and where each is.</summary>
public sealed record Directive(string Name, IReadOnlyList<string> Args, SourceLocation Location, IReadOnlyList<SourceLocation> ArgLocations)
{
    /// <summary>The first argument, or empty.</summary>
    public string Value => Args.Count > 0 ? Args[0] : "";

    /// <summary>The first argument's location, else the directive's.</summary>
    public SourceLocation ValueLocation => ArgLocations.Count > 0 ? ArgLocations[0] : Location;

    /// <summary>True when the first argument is <c>on</c> (case-insensitive).</summary>
    public bool IsOn => Value.Equals("on", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A file a directive names: the text, where it is written, and the repository file it resolves to (null when outside).</summary>
public sealed record FileReference(string Value, SourceLocation Location, string? ResolvedPath);

/// <summary>What a staple file (an OCSP response on disk) says, read once with BouncyCastle.</summary>
public sealed class StapleFacts
{
    /// <summary>Why it is no usable response at all (unreadable, not OCSP, not successful); null when it is one.</summary>
    public string? Unusable { get; init; }

    /// <summary>A single response names the served certificate (serial and issuer name hash; key hash when the issuer is known).</summary>
    public bool MatchesCertificate { get; init; }

    /// <summary>The signature verifies with the issuer or a responder it delegated to; null when no issuer key was at hand.</summary>
    public bool? SignatureValid { get; init; }

    /// <summary><c>good</c>, <c>revoked</c> or <c>unknown</c> for the matching single response.</summary>
    public string? CertStatus { get; init; }

    /// <summary>thisUpdate of the matching single response.</summary>
    public DateTimeOffset? ThisUpdate { get; init; }

    /// <summary>nextUpdate of the matching single response (null: none given).</summary>
    public DateTimeOffset? NextUpdate { get; init; }
}

/// <summary>A certificate a TLS endpoint serves, with the files the server searches for its issuer and its staple file.</summary>
public sealed class EndpointCertificate
{
    /// <summary>The directive argument that names the certificate file.</summary>
    public required FileReference Certificate { get; init; }

    /// <summary>Other files the server looks for the issuer in at startup (nginx ssl_trusted_certificate, Apache chain/CA files, HAProxy .issuer).</summary>
    public IReadOnlyList<FileReference> IssuerSources { get; init; } = [];

    /// <summary>A pre-fetched OCSP response the server staples from (nginx ssl_stapling_file, HAProxy &lt;crt&gt;.ocsp), if any.</summary>
    public FileReference? StapleFile { get; init; }

    /// <summary>What the staple file says; null when there is none or it was not read.</summary>
    public StapleFacts? Staple { get; set; }

    /// <summary>For <see cref="ServerKind.Kestrel"/>: how the certificate reaches Kestrel, which the MST3xxx rules judge; null for other servers.</summary>
    public Kestrel.ServedCertificate? KestrelServed { get; init; }
}

/// <summary>One TLS listener of a server (nginx server block, HAProxy bind line, Apache virtual host, Caddy site).</summary>
public sealed class TlsEndpoint
{
    /// <summary>The server.</summary>
    public required ServerKind Server { get; init; }

    /// <summary>How messages name it, e.g. <c>nginx server 'example.com'</c>, in any language (Localization/Servers.resx).</summary>
    public required Localization.LocalizedText Label { get; init; }

    /// <summary>How English messages name it, e.g. <c>nginx server 'example.com'</c>.</summary>
    public string Name => Label.English;

    /// <summary>Where it starts in the configuration.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>The certificates it serves.</summary>
    public required IReadOnlyList<EndpointCertificate> Certificates { get; init; }

    /// <summary>Stapling is switched on (explicitly, or by the server's default).</summary>
    public required bool StaplingOn { get; init; }

    /// <summary>The directive that decides <see cref="StaplingOn"/>; null when the server's default applies.</summary>
    public Directive? StaplingDirective { get; init; }

    /// <summary>The effective directives of this endpoint after inheritance, by lower-case name (last one wins).</summary>
    public IReadOnlyDictionary<string, Directive> Settings { get; init; } = new Dictionary<string, Directive>();

    /// <summary>The effective directive <paramref name="name"/>, if set.</summary>
    public Directive? Setting(string name) => Settings.TryGetValue(name.ToLowerInvariant(), out var d) ? d : null;
}

/// <summary>An Apache mod_md managed domain (<c>MDomain</c> line or block) with its effective ACME settings.</summary>
public sealed record ManagedDomain(IReadOnlyList<string> Names, SourceLocation Location, Directive? MustStaple, Directive? CertificateAuthority);

/// <summary>One server configuration in the repository (a root file and what it includes).</summary>
public sealed class ServerDeployment
{
    /// <summary>The server.</summary>
    public required ServerKind Server { get; init; }

    /// <summary>The root configuration file.</summary>
    public required string ConfigFile { get; init; }

    /// <summary>The TLS endpoints found.</summary>
    public required IReadOnlyList<TlsEndpoint> Endpoints { get; init; }

    /// <summary>Server-wide directives (Apache SSLStaplingCache, Caddy global options), by lower-case name.</summary>
    public IReadOnlyDictionary<string, Directive> Globals { get; init; } = new Dictionary<string, Directive>();

    /// <summary>Apache mod_md's managed domains: certificates the server requests itself over ACME.</summary>
    public IReadOnlyList<ManagedDomain> ManagedDomains { get; init; } = [];

    /// <summary>Only part of the configuration is in the repository (a file no main configuration includes): server-wide facts are unknown.</summary>
    public bool IsPartial { get; init; }

    /// <summary>What could not be read (includes outside the source root, unreadable files, syntax errors).</summary>
    public IReadOnlyList<LoadProblem> Problems { get; init; } = [];

    /// <summary>For <see cref="ServerKind.Kestrel"/>: the content root's deployment the endpoints were read from; null for other servers.</summary>
    public Kestrel.Deployment? KestrelDeployment { get; init; }

    /// <summary>The global directive <paramref name="name"/>, if set.</summary>
    public Directive? Global(string name) => Globals.TryGetValue(name.ToLowerInvariant(), out var d) ? d : null;
}

/// <summary>A must-staple certificate that a server endpoint serves and that could, by its OCSP URL, be stapled.</summary>
public sealed record ServerServed(ServerDeployment Deployment, TlsEndpoint Endpoint, EndpointCertificate Served, CertificateFile File, CertificateInfo Leaf)
{
    /// <summary>Every certificate the server has at startup to find the leaf's issuer in: the rest of the certificate file, then the issuer sources.</summary>
    public IEnumerable<CertificateInfo> IssuerCandidates(Func<string?, CertificateFile?> fileAt) =>
        File.Certificates.Where(c => c != Leaf)
            .Concat(Served.IssuerSources.SelectMany(s => fileAt(s.ResolvedPath)?.Certificates ?? []));

    /// <summary>True when <paramref name="candidate"/> issued <paramref name="child"/> (names, and key identifiers when both are present).</summary>
    public static bool IsIssuerOf(CertificateInfo candidate, CertificateInfo child) =>
        candidate.Sha256 != child.Sha256
        && string.Equals(candidate.SubjectKey, child.IssuerKey, StringComparison.Ordinal)
        && (child.AuthorityKeyId is null || candidate.SubjectKeyId is null
            || string.Equals(child.AuthorityKeyId, candidate.SubjectKeyId, StringComparison.Ordinal));
}

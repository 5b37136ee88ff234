using MustStaple.Certificates;

namespace MustStaple.Kestrel;

/// <summary>Whether Kestrel on Linux can complete a leaf's chain to a self-signed certificate when it starts.</summary>
public enum ChainOutcome
{
    /// <summary>Complete offline: stapling can work.</summary>
    Complete,

    /// <summary>Only an http caIssuers download at startup can complete it (egress-dependent).</summary>
    NeedsDownload,

    /// <summary>Cannot be completed: Kestrel never staples.</summary>
    Incomplete,
}

/// <summary>The chain verdict, with the certificate where the walk stopped.</summary>
public sealed record ChainVerdict(ChainOutcome Outcome, CertificateInfo LastFound, string? MissingIssuer);

/// <summary>
/// Walks issuer links the way <c>SslStreamCertificateContext.Create(offline: false)</c> does on Linux
/// (docs/evidence/kestrel.md#chain): extra certificates from the chain source, then what the image trusts. The root
/// only has to be found, not trusted.
/// </summary>
public static class ChainAnalyzer
{
    /// <summary>Analyses <paramref name="leaf"/> against what the server has without the network.</summary>
    public static ChainVerdict Analyze(CertificateInfo leaf, IReadOnlyList<CertificateInfo> chainSource,
        IReadOnlyList<CertificateInfo> imageTrust, bool imageHasPublicRoots, PublicRoots publicRoots)
    {
        var current = leaf;
        var pool = chainSource.Concat(imageTrust).ToList();
        for (var depth = 0; depth < 16; depth++)
        {
            if (current.IsSelfSigned) return new ChainVerdict(ChainOutcome.Complete, current, null);
            if (imageHasPublicRoots && (publicRoots.IsIssuedByPublicRoot(current) || publicRoots.Contains(current)))
                return new ChainVerdict(ChainOutcome.Complete, current, null);
            var issuer = pool.FirstOrDefault(c => IsIssuerOf(c, current));
            if (issuer is null) break;
            current = issuer;
        }

        // The server may still download what is missing through the last certificate's http caIssuers URL.
        var outcome = current.HttpCaIssuerUrls.Any() ? ChainOutcome.NeedsDownload : ChainOutcome.Incomplete;
        return new ChainVerdict(outcome, current, current.Issuer);
    }

    private static bool IsIssuerOf(CertificateInfo candidate, CertificateInfo child) =>
        candidate.Sha256 != child.Sha256
        && string.Equals(candidate.SubjectKey, child.IssuerKey, StringComparison.Ordinal)
        && (child.AuthorityKeyId is null || candidate.SubjectKeyId is null
            || string.Equals(child.AuthorityKeyId, candidate.SubjectKeyId, StringComparison.Ordinal));
}

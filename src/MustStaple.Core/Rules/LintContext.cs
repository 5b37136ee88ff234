using MustStaple.Certificates;

namespace MustStaple.Rules;

/// <summary>Everything the rules look at: read once, shared by all rules.</summary>
public sealed class LintContext
{
    /// <summary>Creates a context.</summary>
    public LintContext(DateTimeOffset now, IReadOnlyList<CertificateFile> certificateFiles, RetiredResponderList retiredResponders)
    {
        Now = now;
        CertificateFiles = certificateFiles;
        RetiredResponders = retiredResponders;
    }

    /// <summary>The instant validity and retirement are judged at.</summary>
    public DateTimeOffset Now { get; }

    /// <summary>Every certificate-bearing file, sorted by path.</summary>
    public IReadOnlyList<CertificateFile> CertificateFiles { get; }

    /// <summary>Every certificate in every file.</summary>
    public IEnumerable<CertificateInfo> Certificates => CertificateFiles.SelectMany(f => f.Certificates);

    /// <summary>End-entity certificates that are must-staple: the ones that need a staple when served.</summary>
    public IEnumerable<CertificateInfo> MustStapleLeaves => Certificates.Where(c => c.IsMustStaple && !c.IsCa);

    /// <summary>Every load problem reported under <paramref name="ruleId"/>.</summary>
    public IEnumerable<LoadProblem> Problems(string ruleId) =>
        CertificateFiles.SelectMany(f => f.Problems).Where(p => p.RuleId == ruleId);

    /// <summary>OCSP responders known to be shut down.</summary>
    public RetiredResponderList RetiredResponders { get; }
}

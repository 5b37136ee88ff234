using System.Text.Json;

namespace MustStaple.Certificates;

/// <summary>
/// The dated snapshot of public roots that stock Linux images trust (<c>Data/public-roots.json</c>,
/// refreshed by <c>build/refresh-roots.cs</c>). Matched by DER subject and, when both sides have one, key identifier.
/// </summary>
public sealed class PublicRoots
{
    private readonly Dictionary<string, List<string?>> _bySubject;

    private PublicRoots(Dictionary<string, List<string?>> bySubject, string source)
    {
        _bySubject = bySubject;
        Source = source;
    }

    /// <summary>The set shipped with this version.</summary>
    public static PublicRoots Shipped { get; } = Load();

    /// <summary>Where and when the snapshot was taken.</summary>
    public string Source { get; }

    /// <summary>How many roots.</summary>
    public int Count => _bySubject.Values.Sum(v => v.Count);

    /// <summary>True when <paramref name="cert"/>'s issuer is one of the public roots.</summary>
    public bool IsIssuedByPublicRoot(CertificateInfo cert) =>
        _bySubject.TryGetValue(cert.IssuerKey, out var skis)
        && (cert.AuthorityKeyId is null || skis.Any(s => s is null || s == cert.AuthorityKeyId));

    /// <summary>True when <paramref name="cert"/> itself is one of the public roots.</summary>
    public bool Contains(CertificateInfo cert) =>
        _bySubject.TryGetValue(cert.SubjectKey, out var skis)
        && (cert.SubjectKeyId is null || skis.Any(s => s is null || s == cert.SubjectKeyId));

    private static PublicRoots Load()
    {
        using var stream = typeof(PublicRoots).Assembly.GetManifestResourceStream("MustStaple.Data.public-roots.json")
            ?? throw new InvalidOperationException("The public root snapshot is missing from the assembly.");
        using var doc = JsonDocument.Parse(stream);
        var map = new Dictionary<string, List<string?>>(StringComparer.Ordinal);
        foreach (var r in doc.RootElement.GetProperty("roots").EnumerateArray())
        {
            var subject = r.GetProperty("subject").GetString()!;
            var ski = r.TryGetProperty("ski", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            if (!map.TryGetValue(subject, out var list)) map[subject] = list = [];
            list.Add(ski);
        }
        var source = doc.RootElement.GetProperty("source").GetString() + ", " + doc.RootElement.GetProperty("generated").GetString();
        return new PublicRoots(map, source);
    }
}

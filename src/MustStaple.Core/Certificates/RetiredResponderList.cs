using System.Globalization;
using System.Text.Json;

namespace MustStaple.Certificates;

/// <summary>A shut-down OCSP responder: host pattern, operator and the day it stopped answering.</summary>
public sealed record RetiredResponder(string HostPattern, string Operator, DateTimeOffset Retired);

/// <summary>The dated list of retired OCSP responders shipped as data (<c>Data/retired-ocsp-responders.json</c>).</summary>
public sealed class RetiredResponderList
{
    private readonly IReadOnlyList<RetiredResponder> _entries;

    /// <summary>Creates a list from entries.</summary>
    public RetiredResponderList(IReadOnlyList<RetiredResponder> entries) => _entries = entries;

    /// <summary>The list shipped with this version.</summary>
    public static RetiredResponderList Shipped { get; } = LoadShipped();

    /// <summary>Entries, in file order.</summary>
    public IReadOnlyList<RetiredResponder> Entries => _entries;

    /// <summary>The entry that retires <paramref name="url"/> at <paramref name="now"/>, if any.</summary>
    public RetiredResponder? Find(string url, DateTimeOffset now)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return null;
        var host = uri.Host;
        foreach (var e in _entries)
        {
            if (now < e.Retired) continue;
            var pattern = e.HostPattern;
            var match = pattern.StartsWith("*.", StringComparison.Ordinal)
                ? host.EndsWith(pattern.Substring(1), StringComparison.OrdinalIgnoreCase)
                : host.Equals(pattern, StringComparison.OrdinalIgnoreCase);
            if (match) return e;
        }
        return null;
    }

    private static RetiredResponderList LoadShipped()
    {
        using var stream = typeof(RetiredResponderList).Assembly.GetManifestResourceStream("MustStaple.Data.retired-ocsp-responders.json")
            ?? throw new InvalidOperationException("The retired responder list is missing from the assembly.");
        using var doc = JsonDocument.Parse(stream);
        var entries = new List<RetiredResponder>();
        foreach (var e in doc.RootElement.GetProperty("responders").EnumerateArray())
        {
            entries.Add(new RetiredResponder(
                e.GetProperty("host").GetString()!,
                e.GetProperty("operator").GetString()!,
                DateTimeOffset.Parse(e.GetProperty("retired").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)));
        }
        return new RetiredResponderList(entries);
    }
}

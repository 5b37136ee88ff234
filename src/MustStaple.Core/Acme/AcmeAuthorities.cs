using System.Globalization;
using System.Text.Json;

namespace MustStaple.Acme;

/// <summary>An ACME certificate authority and its dated must-staple facts.</summary>
public sealed record AcmeAuthority(string Id, string Name, DateTimeOffset? MustStapleRefused, DateTimeOffset? MustStapleRefusedNewAccounts,
    DateTimeOffset? RespondersRetired)
{
    /// <summary>An authority the lint does not know (a private or unlisted directory URL).</summary>
    public static AcmeAuthority Unknown(string server) => new("unknown", $"the ACME server '{server}'", null, null, null);

    /// <summary>True when it refuses must-staple requests at <paramref name="now"/>.</summary>
    public bool RefusesMustStaple(DateTimeOffset now) => MustStapleRefused is { } d && now >= d;
}

/// <summary>The authorities and client defaults shipped as data (<c>Data/acme-authorities.json</c>): the one place the dates live.</summary>
public sealed class AcmeAuthorities
{
    private readonly List<(AcmeAuthority Authority, string[] Hosts, string[] Names)> _entries;
    private readonly Dictionary<string, string> _defaults;

    private AcmeAuthorities(List<(AcmeAuthority, string[], string[])> entries, Dictionary<string, string> defaults)
    {
        _entries = entries;
        _defaults = defaults;
    }

    /// <summary>The list shipped with this version.</summary>
    public static AcmeAuthorities Shipped { get; } = Load();

    /// <summary>The authority with <paramref name="id"/>.</summary>
    public AcmeAuthority ById(string id) => _entries.First(e => e.Authority.Id == id).Authority;

    /// <summary>The authority <paramref name="client"/> uses when nothing names one.</summary>
    public AcmeAuthority DefaultOf(string client) => ById(_defaults.TryGetValue(client, out var id) ? id : "letsencrypt");

    /// <summary>The authority a directory URL or a client's short name denotes; unknown when neither matches.</summary>
    public AcmeAuthority Resolve(string server)
    {
        var text = server.Trim().Trim('"', '\'');
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
        {
            foreach (var e in _entries)
                if (e.Hosts.Any(h => h.Equals(uri.Host, StringComparison.OrdinalIgnoreCase))) return e.Authority;
            return AcmeAuthority.Unknown(text);
        }
        foreach (var e in _entries)
            if (e.Names.Any(n => n.Equals(text, StringComparison.OrdinalIgnoreCase))) return e.Authority;
        return AcmeAuthority.Unknown(text);
    }

    private static AcmeAuthorities Load()
    {
        using var stream = typeof(AcmeAuthorities).Assembly.GetManifestResourceStream("MustStaple.Data.acme-authorities.json")
            ?? throw new InvalidOperationException("The ACME authority list is missing from the assembly.");
        using var doc = JsonDocument.Parse(stream);
        var entries = new List<(AcmeAuthority, string[], string[])>();
        foreach (var e in doc.RootElement.GetProperty("authorities").EnumerateArray())
        {
            entries.Add((new AcmeAuthority(e.GetProperty("id").GetString()!, e.GetProperty("name").GetString()!,
                    Date(e, "mustStapleRefused"), Date(e, "mustStapleRefusedNewAccounts"), Date(e, "respondersRetired")),
                e.GetProperty("hosts").EnumerateArray().Select(h => h.GetString()!).ToArray(),
                e.GetProperty("names").EnumerateArray().Select(h => h.GetString()!).ToArray()));
        }
        var defaults = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in doc.RootElement.GetProperty("clientDefaults").EnumerateObject()) defaults[p.Name] = p.Value.GetString()!;
        return new AcmeAuthorities(entries, defaults);
    }

    private static DateTimeOffset? Date(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.GetString() is { } s
            ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            : null;
}

namespace MustStaple.Kestrel;

/// <summary>
/// Layers of configuration merged key by key, later layers winning, keys case-insensitive — the semantics of
/// Microsoft.Extensions.Configuration — with the origin of every winning key kept.
/// </summary>
public sealed class ConfigView
{
    private readonly Dictionary<string, ConfigEntry> _entries = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Adds a layer on top of the previous ones.</summary>
    public void AddLayer(IEnumerable<ConfigEntry> entries)
    {
        foreach (var e in entries)
        {
            // A section key never hides a value set by an earlier layer; only values override values.
            if (e.IsSection && _entries.TryGetValue(e.Key, out var existing) && !existing.IsSection) continue;
            _entries[e.Key] = e;
        }
    }

    /// <summary>The entry for <paramref name="key"/> (value or section), or null.</summary>
    public ConfigEntry? Get(string key) => _entries.TryGetValue(key, out var e) ? e : null;

    /// <summary>The value of <paramref name="key"/>, or null.</summary>
    public string? Value(string key) => Get(key) is { IsSection: false } e ? e.Value : null;

    /// <summary>True when any key lies under <paramref name="section"/>.</summary>
    public bool HasSection(string section)
    {
        var prefix = section + ":";
        return _entries.Keys.Any(k => k.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            || _entries.ContainsKey(section);
    }

    /// <summary>Direct child names of <paramref name="section"/>, first spelling kept, sorted ordinally ignoring case.</summary>
    public IReadOnlyList<string> Children(string section)
    {
        var prefix = section + ":";
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in _entries.Keys)
        {
            if (!key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) continue;
            var rest = key.Substring(prefix.Length);
            var colon = rest.IndexOf(':');
            var name = colon < 0 ? rest : rest.Substring(0, colon);
            if (!names.ContainsKey(name)) names[name] = name;
        }
        return names.Values.OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToArray();
    }

    /// <summary>Where <paramref name="section"/> was written: its own key, else its first child's.</summary>
    public ConfigEntry? Locate(string section) =>
        Get(section) ?? _entries.Where(kv => kv.Key.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase))
            .Select(kv => kv.Value).OrderBy(e => e.KeyLocation.Path, StringComparer.Ordinal).ThenBy(e => e.KeyLocation.Line).FirstOrDefault();
}

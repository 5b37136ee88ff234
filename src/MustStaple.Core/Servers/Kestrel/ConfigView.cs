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
        _index = null;
        foreach (var e in entries)
        {
            // A section key never hides a value set by an earlier layer; only values override values.
            if (e.IsSection && _entries.TryGetValue(e.Key, out var existing) && !existing.IsSection) continue;
            _entries[e.Key] = e;
        }
    }

    /// <summary>The entry for <paramref name="key"/> (value or section), or null.</summary>
    public ConfigEntry? Get(string key) => _entries.TryGetValue(key, out var e) ? e : null;

    /// <summary>Every winning value (sections left out), in no particular order.</summary>
    public IEnumerable<ConfigEntry> Values => _entries.Values.Where(e => !e.IsSection);

    /// <summary>The value of <paramref name="key"/>, or null.</summary>
    public string? Value(string key) => Get(key) is { IsSection: false } e ? e.Value : null;

    /// <summary>True when any key lies under <paramref name="section"/>.</summary>
    public bool HasSection(string section) => Index.Children.ContainsKey(section) || _entries.ContainsKey(section);

    /// <summary>Direct child names of <paramref name="section"/>, first spelling kept, sorted ordinally ignoring case.</summary>
    public IReadOnlyList<string> Children(string section) =>
        Index.Children.TryGetValue(section, out var names) ? names : [];

    /// <summary>Where <paramref name="section"/> was written: its own key, else its first child's.</summary>
    public ConfigEntry? Locate(string section) =>
        Get(section) ?? (Index.First.TryGetValue(section, out var first) ? first : null);

    // Children and first locations of every section, built in one pass over the keys after the last layer (each key
    // contributes once per ancestor), so a configuration with 20,000 endpoints is not read 20,000 times over.
    private SectionIndex Index => _index ??= SectionIndex.Build(_entries);

    private SectionIndex? _index;

    private sealed class SectionIndex
    {
        public Dictionary<string, IReadOnlyList<string>> Children { get; } = new(StringComparer.OrdinalIgnoreCase);
        public Dictionary<string, ConfigEntry> First { get; } = new(StringComparer.OrdinalIgnoreCase);

        public static SectionIndex Build(Dictionary<string, ConfigEntry> entries)
        {
            var index = new SectionIndex();
            var names = new Dictionary<string, Dictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
            foreach (var (key, entry) in entries.Select(kv => (kv.Key, kv.Value)))
            {
                for (var colon = key.IndexOf(':'); colon >= 0; colon = key.IndexOf(':', colon + 1))
                {
                    var parent = key.Substring(0, colon);
                    var next = key.IndexOf(':', colon + 1);
                    var child = next < 0 ? key.Substring(colon + 1) : key.Substring(colon + 1, next - colon - 1);
                    if (!names.TryGetValue(parent, out var set)) names[parent] = set = new(StringComparer.OrdinalIgnoreCase);
                    if (!set.ContainsKey(child)) set[child] = child;
                    if (!index.First.TryGetValue(parent, out var first) || Earlier(entry, first)) index.First[parent] = entry;
                }
            }
            foreach (var (parent, set) in names.Select(kv => (kv.Key, kv.Value)))
                index.Children[parent] = set.Values.OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToArray();
            return index;
        }

        private static bool Earlier(ConfigEntry a, ConfigEntry b)
        {
            var byPath = string.CompareOrdinal(a.KeyLocation.Path, b.KeyLocation.Path);
            return byPath < 0 || (byPath == 0 && a.KeyLocation.Line < b.KeyLocation.Line);
        }
    }
}

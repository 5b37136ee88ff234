using MustStaple.Diagnostics;

namespace MustStaple.Kestrel;

/// <summary>One configuration key with its value and where both were written (a JSON key, an ENV line).</summary>
public sealed record ConfigEntry(string Key, string? Value, SourceLocation KeyLocation, SourceLocation ValueLocation, string Source)
{
    /// <summary>The key names a JSON object (a section), not a value; kept so findings can point at section keys.</summary>
    public bool IsSection { get; init; }
}

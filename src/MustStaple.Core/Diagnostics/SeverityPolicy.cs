namespace MustStaple.Diagnostics;

/// <summary>
/// Applies configured severities the way the compiler does: .editorconfig/.globalconfig first, then NoWarn,
/// then warnings-as-errors. Errors are never downgraded by warnings-as-errors settings.
/// </summary>
public sealed class SeverityPolicy
{
    private readonly IReadOnlyDictionary<string, Severity> _configured;
    private readonly AnalyzerConfig? _files;
    private readonly HashSet<string> _noWarn;
    private readonly HashSet<string> _asErrors;
    private readonly HashSet<string> _notAsErrors;
    private readonly bool _allAsErrors;

    /// <summary>Creates a policy.</summary>
    public SeverityPolicy(IReadOnlyDictionary<string, Severity> configured, LintRequest request, AnalyzerConfig? files = null)
    {
        _configured = configured;
        _files = files;
        _noWarn = new HashSet<string>(request.NoWarn.Select(Normalize), StringComparer.OrdinalIgnoreCase);
        _asErrors = new HashSet<string>(request.WarningsAsErrors.Select(Normalize), StringComparer.OrdinalIgnoreCase);
        _notAsErrors = new HashSet<string>(request.WarningsNotAsErrors.Select(Normalize), StringComparer.OrdinalIgnoreCase);
        _allAsErrors = request.TreatWarningsAsErrors;
    }

    /// <summary>The effective severity of <paramref name="d"/>; <see cref="Severity.None"/> drops it.</summary>
    public Severity Apply(Diagnostic d)
    {
        var severity = _configured.TryGetValue(d.Id, out var s) ? s
            : _files?.For(d.Id, d.Location.Path) ?? d.Descriptor.DefaultSeverity;
        if (severity == Severity.None || _noWarn.Contains(d.Id)) return Severity.None;
        if (severity == Severity.Warning && (_asErrors.Contains(d.Id) || (_allAsErrors && !_notAsErrors.Contains(d.Id))))
            return Severity.Error;
        return severity;
    }

    private static string Normalize(string id) => id.Trim();
}

namespace MustStaple.Diagnostics;

/// <summary>One finding: a rule, where, and what to do about it.</summary>
public sealed class Diagnostic
{
    private Diagnostic(DiagnosticDescriptor descriptor, SourceLocation location, string message,
        Severity severity, IReadOnlyList<SourceLocation> relatedLocations, IReadOnlyList<string> facts)
    {
        Facts = facts;
        Descriptor = descriptor;
        Location = location;
        Message = message;
        Severity = severity;
        RelatedLocations = relatedLocations;
    }

    /// <summary>The rule.</summary>
    public DiagnosticDescriptor Descriptor { get; }

    /// <summary>The rule ID, e.g. <c>MST1001</c>.</summary>
    public string Id => Descriptor.Id;

    /// <summary>The primary location: the line that causes the finding.</summary>
    public SourceLocation Location { get; }

    /// <summary>The formatted message. Never contains a password or key material.</summary>
    public string Message { get; }

    /// <summary>The effective severity after configuration.</summary>
    public Severity Severity { get; }

    /// <summary>What the finding is about (the message arguments but instants): SARIF fingerprints hash these, never the message.</summary>
    public IReadOnlyList<string> Facts { get; }

    /// <summary>Other places that matter, e.g. the certificate a configuration line references.</summary>
    public IReadOnlyList<SourceLocation> RelatedLocations { get; }

    /// <summary>Creates a finding at the descriptor's default severity.</summary>
    public static Diagnostic Create(DiagnosticDescriptor descriptor, SourceLocation location, params object?[] args) =>
        new(descriptor, location, descriptor.Format(args), descriptor.DefaultSeverity, [], descriptor.Facts(args));

    /// <summary>Creates a finding with related locations.</summary>
    public static Diagnostic Create(DiagnosticDescriptor descriptor, SourceLocation location,
        IEnumerable<SourceLocation> related, params object?[] args) =>
        new(descriptor, location, descriptor.Format(args), descriptor.DefaultSeverity,
            related.Where(r => r != location).Distinct().ToArray(), descriptor.Facts(args));

    /// <summary>The same finding at another severity.</summary>
    public Diagnostic WithSeverity(Severity severity) =>
        severity == Severity ? this : new(Descriptor, Location, Message, severity, RelatedLocations, Facts);

    /// <summary>The same finding as a note, its message completed by why it is only one (the certificate is not what clients meet).</summary>
    public Diagnostic AsNote(string reason) => new(Descriptor, Location, Message + " " + reason, Severity.Note, RelatedLocations, Facts);

    /// <summary>Sort order of every output: path, line, column, ID, message.</summary>
    public static int Compare(Diagnostic? x, Diagnostic? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        var c = string.CompareOrdinal(x.Location.Path, y.Location.Path);
        if (c == 0) c = x.Location.Line.CompareTo(y.Location.Line);
        if (c == 0) c = x.Location.Column.CompareTo(y.Location.Column);
        if (c == 0) c = string.CompareOrdinal(x.Id, y.Id);
        if (c == 0) c = string.CompareOrdinal(x.Message, y.Message);
        return c;
    }
}

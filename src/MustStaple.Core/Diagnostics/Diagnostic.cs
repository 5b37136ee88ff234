using System.Globalization;
using MustStaple.Localization;

namespace MustStaple.Diagnostics;

/// <summary>One finding: a rule, where, and what to do about it.</summary>
public sealed class Diagnostic
{
    private readonly object?[] _args;
    private readonly LocalizedText[] _notes;

    private Diagnostic(DiagnosticDescriptor descriptor, SourceLocation location, object?[] args, CultureInfo culture,
        Severity severity, IReadOnlyList<SourceLocation> relatedLocations, IReadOnlyList<string> facts, LocalizedText[] notes)
    {
        _args = args;
        _notes = notes;
        Facts = facts;
        Descriptor = descriptor;
        Location = location;
        Culture = culture;
        Message = Render(culture);
        EnglishMessage = Texts.IsJapanese(culture) ? Render(CultureInfo.InvariantCulture) : Message;
        Severity = severity;
        RelatedLocations = relatedLocations;
    }

    /// <summary>The rule.</summary>
    public DiagnosticDescriptor Descriptor { get; }

    /// <summary>The rule ID, e.g. <c>MST1001</c>.</summary>
    public string Id => Descriptor.Id;

    /// <summary>The primary location: the line that causes the finding.</summary>
    public SourceLocation Location { get; }

    /// <summary>The formatted message, in <see cref="Culture"/>. Never contains a password or key material.</summary>
    public string Message { get; }

    /// <summary>The language <see cref="Message"/> is written in (the run's UI culture).</summary>
    public CultureInfo Culture { get; }

    /// <summary>The message in English (the neutral resources), whatever <see cref="Culture"/> is: the last key of the sort order.</summary>
    internal string EnglishMessage { get; }

    /// <summary>The effective severity after configuration.</summary>
    public Severity Severity { get; }

    /// <summary>What the finding is about (the message arguments but instants): SARIF fingerprints hash these, never the message.</summary>
    public IReadOnlyList<string> Facts { get; }

    /// <summary>Other places that matter, e.g. the certificate a configuration line references.</summary>
    public IReadOnlyList<SourceLocation> RelatedLocations { get; }

    /// <summary>Creates a finding at the descriptor's default severity.</summary>
    public static Diagnostic Create(DiagnosticDescriptor descriptor, SourceLocation location, params object?[] args) =>
        new(descriptor, location, args, CultureInfo.CurrentUICulture, descriptor.DefaultSeverity, [], descriptor.Facts(args), []);

    /// <summary>Creates a finding with related locations.</summary>
    public static Diagnostic Create(DiagnosticDescriptor descriptor, SourceLocation location,
        IEnumerable<SourceLocation> related, params object?[] args) =>
        new(descriptor, location, args, CultureInfo.CurrentUICulture, descriptor.DefaultSeverity,
            related.Where(r => r != location).Distinct().ToArray(), descriptor.Facts(args), []);

    /// <summary>The same finding at another severity.</summary>
    public Diagnostic WithSeverity(Severity severity) =>
        severity == Severity ? this : new(Descriptor, Location, _args, Culture, severity, RelatedLocations, Facts, _notes);

    /// <summary>The same finding with its message in <paramref name="culture"/>; its facts (and so its fingerprint) stay the same.</summary>
    public Diagnostic InCulture(CultureInfo culture) =>
        culture.Equals(Culture) ? this : new(Descriptor, Location, _args, culture, Severity, RelatedLocations, Facts, _notes);

    /// <summary>The same finding as a note, its message completed by why it is only one (the certificate is not what clients meet).</summary>
    public Diagnostic AsNote(LocalizedText reason) => new(Descriptor, Location, _args, Culture, Severity.Note, RelatedLocations, Facts, [.. _notes, reason]);

    private string Render(CultureInfo culture)
    {
        var message = Descriptor.Format(culture, _args);
        foreach (var note in _notes) message += " " + note.ToString(culture);
        return message;
    }

    /// <summary>
    /// Sort order of every output: path, line, column, ID, then the English message (never the localized one, so the
    /// order is the same in every language).
    /// </summary>
    public static int Compare(Diagnostic? x, Diagnostic? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        var c = string.CompareOrdinal(x.Location.Path, y.Location.Path);
        if (c == 0) c = x.Location.Line.CompareTo(y.Location.Line);
        if (c == 0) c = x.Location.Column.CompareTo(y.Location.Column);
        if (c == 0) c = string.CompareOrdinal(x.Id, y.Id);
        if (c == 0) c = string.CompareOrdinal(x.EnglishMessage, y.EnglishMessage);
        return c;
    }
}

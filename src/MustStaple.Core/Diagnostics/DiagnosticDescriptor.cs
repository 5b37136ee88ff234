using System.Globalization;

namespace MustStaple.Diagnostics;

/// <summary>What a rule reports: its ID, texts and default severity. One per rule, never shared.</summary>
public sealed class DiagnosticDescriptor
{
    /// <summary>Creates a descriptor.</summary>
    public DiagnosticDescriptor(
        string id,
        string name,
        string title,
        string messageFormat,
        RuleCategory category,
        Severity defaultSeverity,
        string description)
    {
        Id = id;
        Name = name;
        Title = title;
        MessageFormat = messageFormat;
        Category = category;
        DefaultSeverity = defaultSeverity;
        Description = description;
    }

    /// <summary><c>MST</c> followed by four digits.</summary>
    public string Id { get; }

    /// <summary>PascalCase rule name (SARIF <c>name</c>).</summary>
    public string Name { get; }

    /// <summary>One-line summary (SARIF <c>shortDescription</c>).</summary>
    public string Title { get; }

    /// <summary>Composite format string for the message.</summary>
    public string MessageFormat { get; }

    /// <summary>The rule family.</summary>
    public RuleCategory Category { get; }

    /// <summary>Severity unless configuration says otherwise.</summary>
    public Severity DefaultSeverity { get; }

    /// <summary>A paragraph on cause and effect (SARIF <c>fullDescription</c>).</summary>
    public string Description { get; }

    /// <summary>The rule's documentation page, or null when the repository URL is not known.</summary>
    public string? HelpUri => HelpLinks.For(Id);

    // Every argument is file-derived or may be: escaped and capped here, once, for every sink (SafeText). A rule that
    // passes a whole pre-composed message ("{0}") gets a larger cap so its wording survives; it is still bounded.
    internal string Format(params object?[] args) =>
        string.Format(CultureInfo.InvariantCulture, MessageFormat, args.Select(Safe).ToArray());

    // The stable facts of a finding for SARIF fingerprints: every argument except instants (the clock, a validity
    // bound), which change from run to run or are not what the finding is about.
    internal string[] Facts(object?[] args) =>
        args.Where(a => a is not (DateTime or DateTimeOffset or FrontText)).Select(a => Convert.ToString(Safe(a), CultureInfo.InvariantCulture) ?? "").ToArray();

    private object? Safe(object? arg) => arg switch
    {
        null => null,
        string s => SafeText.Escape(s, MessageFormat is "{0}" or "{0} {1}." ? 4 * SafeText.MaxValueLength : SafeText.MaxValueLength),
        FrontText t => t.Text,
        IFormattable f when f.GetType().IsPrimitive || f is DateTime or DateTimeOffset or decimal => f,
        _ => SafeText.Escape(Convert.ToString(arg, CultureInfo.InvariantCulture)),
    };
}

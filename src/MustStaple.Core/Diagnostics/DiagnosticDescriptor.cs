using System.Globalization;
using MustStaple.Localization;

namespace MustStaple.Diagnostics;

/// <summary>
/// What a rule reports: its ID, texts and default severity. One per rule, never shared. The texts live in
/// <c>Localization/Rules.resx</c> (English) and its translations, as <c>&lt;ID&gt;.Title</c>, <c>&lt;ID&gt;.Message</c>
/// and <c>&lt;ID&gt;.Description</c>; the properties give the English, the <c>…In(culture)</c> methods a language.
/// </summary>
public sealed class DiagnosticDescriptor
{
    private readonly string _messageKey;

    /// <summary>Creates a descriptor whose texts are the resources of <paramref name="id"/> (message: <paramref name="messageKey"/>, default <c>&lt;ID&gt;.Message</c>).</summary>
    public DiagnosticDescriptor(string id, string name, RuleCategory category, Severity defaultSeverity, string? messageKey = null)
    {
        Id = id;
        Name = name;
        Category = category;
        DefaultSeverity = defaultSeverity;
        _messageKey = messageKey ?? id + ".Message";
        Title = TitleIn(CultureInfo.InvariantCulture);
        MessageFormat = MessageFormatIn(CultureInfo.InvariantCulture);
        Description = DescriptionIn(CultureInfo.InvariantCulture);
    }

    /// <summary><c>MST</c> followed by four digits.</summary>
    public string Id { get; }

    /// <summary>PascalCase rule name (SARIF <c>name</c>).</summary>
    public string Name { get; }

    /// <summary>One-line summary (SARIF <c>shortDescription</c>), in English.</summary>
    public string Title { get; }

    /// <summary>Composite format string for the message, in English.</summary>
    public string MessageFormat { get; }

    /// <summary>The rule family.</summary>
    public RuleCategory Category { get; }

    /// <summary>Severity unless configuration says otherwise.</summary>
    public Severity DefaultSeverity { get; }

    /// <summary>A paragraph on cause and effect (SARIF <c>fullDescription</c>), in English.</summary>
    public string Description { get; }

    /// <summary>The rule's documentation page, or null when the repository URL is not known.</summary>
    public string? HelpUri => HelpLinks.For(Id);

    /// <summary>The title in <paramref name="culture"/>.</summary>
    public string TitleIn(CultureInfo culture) => Texts.Rules.Format(Id + ".Title", culture);

    /// <summary>The message format in <paramref name="culture"/>.</summary>
    public string MessageFormatIn(CultureInfo culture) => Texts.Rules.Format(_messageKey, culture);

    /// <summary>The description in <paramref name="culture"/>.</summary>
    public string DescriptionIn(CultureInfo culture) => Texts.Rules.Format(Id + ".Description", culture);

    // Every argument is file-derived or may be: escaped and capped here, once, for every sink (SafeText). A rule that
    // passes a whole pre-composed message ("{0}") gets a larger cap so its wording survives; it is still bounded. Our
    // own texts (LocalizedText, FrontText) render in the message's culture and are escaped like the rest.
    internal string Format(CultureInfo culture, object?[] args) =>
        string.Format(CultureInfo.InvariantCulture, MessageFormatIn(culture), args.Select(a => Safe(a, culture)).ToArray());

    // The stable facts of a finding for SARIF fingerprints: every argument except instants (the clock, a validity
    // bound), which change from run to run or are not what the finding is about, and front-dependent advice. Our own
    // texts count in English, so the fingerprint is the same in every language.
    internal string[] Facts(object?[] args) =>
        args.Where(a => a is not (DateTime or DateTimeOffset or FrontText)).Select(a => Convert.ToString(Safe(a, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) ?? "").ToArray();

    private object? Safe(object? arg, CultureInfo culture) => arg switch
    {
        null => null,
        string s => SafeText.Escape(s, Cap),
        LocalizedText t => SafeText.Escape(t.ToString(culture), Cap),
        FrontText t => t.ToString(culture),
        IFormattable f when f.GetType().IsPrimitive || f is DateTime or DateTimeOffset or decimal => f,
        _ => SafeText.Escape(Convert.ToString(arg, CultureInfo.InvariantCulture)),
    };

    private int Cap => MessageFormat is "{0}" or "{0} {1}." ? 4 * SafeText.MaxValueLength : SafeText.MaxValueLength;
}

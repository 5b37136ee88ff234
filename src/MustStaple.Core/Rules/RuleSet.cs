namespace MustStaple.Rules;

/// <summary>Every rule the engine runs, in ID order. An explicit list: adding a rule means adding it here.</summary>
public static class RuleSet
{
    /// <summary>All rules.</summary>
    public static IReadOnlyList<IRule> All { get; } =
    [
        new UnreadableInput(),
        new PfxCannotBeOpened(),
        new MustStapleWithoutOcspResponder(),
        new OcspResponderRetired(),
        new StatusRequestV2Only(),
        new MalformedTlsFeature(),
        new MustStapleOnCaCertificate(),
        new CertificateNotValidNow(),
        new MustStapleRequested(),
    ];
}

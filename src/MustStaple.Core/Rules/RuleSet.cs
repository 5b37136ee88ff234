namespace MustStaple.Rules;

/// <summary>Every rule the engine runs, in ID order. An explicit list: adding a rule means adding it here.</summary>
public static class RuleSet
{
    /// <summary>All rules.</summary>
    public static IReadOnlyList<IRule> All { get; } =
    [
        new UnreadableInput(),
        new PfxCannotBeOpened(),
        new CertificateFileMissing(),
        new CertificateNotCheckable(),
        new UnservedPfxNotChecked(),
        new LintCouldNotRun(),
        new CodeCertificateUnknown(),
        new AppSettingsRefused(),
        new MustStapleWithoutOcspResponder(),
        new OcspResponderRetired(),
        new StatusRequestV2Only(),
        new MalformedTlsFeature(),
        new MustStapleOnCaCertificate(),
        new CertificateNotValidNow(),
        new MustStapleRequested(),
        new EndpointDefaultsCertificateIgnored(),
        new MultipleCertificateSources(),
        new HttpsConfigOnHttpEndpoint(),
        new KestrelWillNotStart(),
        new ChainIncomplete(),
        new ChainNeedsDownload(),
        new MacOSNeverStaples(),
        new WindowsDoesNotStaple(),
        new Http3NeverStaples(),
        new TargetPlatformUnknown(),
        new SelectorNeverStaples(),
        new BareCertificateNeverStaples(),
        new OfflineContextNeverStaples(),
        new StaplingSwitchDoesNotHelp(),
        new StaplingOff(),
        new StaplingIssuerNotFound(),
        new ApacheStaplingCacheMissing(),
        new HAProxyOcspFileMissing(),
        new StapleFileInvalid(),
        new NginxFirstHandshakeUnstapled(),
        new ApacheFakeTryLater(),
        new StapleFileNeedsRefresh(),
    ];
}

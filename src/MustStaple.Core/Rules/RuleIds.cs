namespace MustStaple.Rules;

/// <summary>Every rule ID, in one place. IDs never change meaning and are never reused.</summary>
public static class RuleIds
{
    /// <summary>A file could not be read or parsed.</summary>
    public const string UnreadableInput = "MST0001";
    /// <summary>A PFX could not be opened.</summary>
    public const string PfxCannotBeOpened = "MST0002";
    /// <summary>A referenced certificate file is missing or not published.</summary>
    public const string CertificateFileMissing = "MST0003";
    /// <summary>A certificate outside the repository or in a store.</summary>
    public const string CertificateNotCheckable = "MST0004";
    /// <summary>A PFX that nothing serves could not be opened: not checked.</summary>
    public const string UnservedPfxNotChecked = "MST0005";
    /// <summary>The lint could not run (reported by the fronts, not by a rule over files).</summary>
    public const string LintCouldNotRun = "MST0006";
    /// <summary>A certificate configured in C# cannot be checked (analyzer).</summary>
    public const string CodeCertificateUnknown = "MST0007";
    /// <summary>An appsettings file the app loads is refused by ASP.NET Core's JSON configuration: the app will not start.</summary>
    public const string AppSettingsRefused = "MST0008";

    /// <summary>Must-staple without an http OCSP URL.</summary>
    public const string MustStapleWithoutOcspResponder = "MST1001";
    /// <summary>Must-staple whose OCSP responder is retired.</summary>
    public const string OcspResponderRetired = "MST1002";
    /// <summary>status_request_v2 without status_request.</summary>
    public const string StatusRequestV2Only = "MST1003";
    /// <summary>Malformed, empty or critical TLS Feature extension.</summary>
    public const string MalformedTlsFeature = "MST1004";
    /// <summary>A CA certificate carries must-staple.</summary>
    public const string MustStapleOnCaCertificate = "MST1005";
    /// <summary>A served certificate is outside its validity period.</summary>
    public const string CertificateNotValidNow = "MST1006";
    /// <summary>A CSR or OpenSSL config requests must-staple.</summary>
    public const string MustStapleRequested = "MST1007";

    /// <summary>EndpointDefaults:Certificate is ignored.</summary>
    public const string EndpointDefaultsCertificateIgnored = "MST2001";
    /// <summary>Path and Subject together.</summary>
    public const string MultipleCertificateSources = "MST2002";
    /// <summary>Certificate settings on an http endpoint.</summary>
    public const string HttpsConfigOnHttpEndpoint = "MST2003";
    /// <summary>Kestrel will not start with this certificate configuration.</summary>
    public const string KestrelWillNotStart = "MST2004";

    /// <summary>Chain cannot be completed offline; no caIssuers to fetch it.</summary>
    public const string ChainIncomplete = "MST3001";
    /// <summary>Chain can only be completed by a caIssuers download at startup.</summary>
    public const string ChainNeedsDownload = "MST3002";
    /// <summary>macOS never staples.</summary>
    public const string MacOSNeverStaples = "MST3003";
    /// <summary>Windows does not staple.</summary>
    public const string WindowsDoesNotStaple = "MST3004";
    /// <summary>HTTP/3 never staples.</summary>
    public const string Http3NeverStaples = "MST3005";
    /// <summary>Target platform unknown.</summary>
    public const string TargetPlatformUnknown = "MST3006";
    /// <summary>A certificate selector never staples (analyzer).</summary>
    public const string SelectorNeverStaples = "MST3007";
    /// <summary>A TLS callback with a bare ServerCertificate never staples (analyzer).</summary>
    public const string BareCertificateNeverStaples = "MST3008";
    /// <summary>SslStreamCertificateContext offline: true never staples (analyzer).</summary>
    public const string OfflineContextNeverStaples = "MST3009";
    /// <summary>The AppContext stapling switch does not help (analyzer).</summary>
    public const string StaplingSwitchDoesNotHelp = "MST3010";
    /// <summary>An SslStreamCertificateContext created per handshake never staples (analyzer).</summary>
    public const string PerHandshakeContextNeverStaples = "MST3011";

    /// <summary>A server (nginx, Apache, Caddy) serves a must-staple certificate with stapling off.</summary>
    public const string StaplingOff = "MST4001";
    /// <summary>Stapling on, but the server cannot find the issuer at startup.</summary>
    public const string StaplingIssuerNotFound = "MST4002";
    /// <summary>Apache SSLUseStapling without a global SSLStaplingCache.</summary>
    public const string ApacheStaplingCacheMissing = "MST4003";
    /// <summary>HAProxy without a &lt;crt&gt;.ocsp file.</summary>
    public const string HAProxyOcspFileMissing = "MST4004";
    /// <summary>A staple file is not a valid OCSP response for the certificate.</summary>
    public const string StapleFileInvalid = "MST4005";
    /// <summary>nginx without a staple file: first handshake per worker unstapled.</summary>
    public const string NginxFirstHandshakeUnstapled = "MST4006";
    /// <summary>Apache's default fake tryLater on responder failure.</summary>
    public const string ApacheFakeTryLater = "MST4007";
    /// <summary>A valid staple file that nothing in the server refreshes, and how long it has left.</summary>
    public const string StapleFileNeedsRefresh = "MST4008";

    /// <summary>ingress-nginx serves a must-staple certificate and its controller ConfigMap does not set enable-ocsp: "true".</summary>
    public const string IngressNginxOcspOff = "MST4009";

    /// <summary>An Ingress controller whose stapling is not modelled serves a must-staple certificate (note).</summary>
    public const string IngressControllerStaplingUnknown = "MST4010";

    /// <summary>An ACME client requests must-staple from Let's Encrypt, which refuses it.</summary>
    public const string MustStapleRefusedByCa = "MST5001";
    /// <summary>An ACME client requests must-staple from another or an unknown CA.</summary>
    public const string MustStapleCertificateRequested = "MST5002";

    /// <summary>Probe: a must-staple certificate served without a staple on every handshake.</summary>
    public const string ProbeStapleMissing = "MST6001";
    /// <summary>Probe: a stapled response a client rejects (not successful, other certificate, signature, revoked, expired, not yet valid).</summary>
    public const string ProbeStapleInvalid = "MST6002";
    /// <summary>Probe: stapled on some handshakes only (nginx's per-worker cache: from the second handshake).</summary>
    public const string ProbeStapleLate = "MST6003";
    /// <summary>Probe: the stapled response's nextUpdate is closer than the threshold.</summary>
    public const string ProbeStapleExpiresSoon = "MST6004";
    /// <summary>Probe: the endpoint could not be reached or the handshake failed.</summary>
    public const string ProbeFailed = "MST6005";
}

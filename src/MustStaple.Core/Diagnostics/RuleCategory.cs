namespace MustStaple.Diagnostics;

/// <summary>The family a rule belongs to; it is the thousands digit of its ID.</summary>
public enum RuleCategory
{
    /// <summary><c>MST0xxx</c>: input the lint could not read, or cannot check.</summary>
    Input,

    /// <summary><c>MST1xxx</c>: what a certificate file shows on its own.</summary>
    Certificate,

    /// <summary><c>MST2xxx</c>: Kestrel configuration that Kestrel rejects or ignores.</summary>
    Configuration,

    /// <summary><c>MST3xxx</c>: stapling verdicts for certificate × configuration × platform.</summary>
    Stapling,

    /// <summary><c>MST4xxx</c>: stapling verdicts for other servers (nginx, HAProxy, Apache, Caddy).</summary>
    Servers,

    /// <summary><c>MST5xxx</c>: ACME clients' requests — certificates that do not exist yet.</summary>
    Acme,

    /// <summary><c>MST6xxx</c>: what a live server showed in handshakes (<c>muststaple-lint probe</c>).</summary>
    Probe = 6,
}

using MustStaple.Hosting;

namespace MustStaple.Kestrel;

/// <summary>A Kestrel <c>Certificate</c> section: file (<c>Path</c> [+ <c>KeyPath</c>]) or store (<c>Subject</c>).</summary>
public sealed class CertificateSettings
{
    /// <summary>The configuration key of the section, e.g. <c>Kestrel:Endpoints:Https:Certificate</c>.</summary>
    public required string Key { get; init; }

    /// <summary>Where the section is written.</summary>
    public required ConfigEntry Section { get; init; }

    /// <summary><c>Path</c>, relative to the content root.</summary>
    public ConfigEntry? Path { get; init; }

    /// <summary><c>KeyPath</c>: present means PEM certificate + key.</summary>
    public ConfigEntry? KeyPath { get; init; }

    /// <summary><c>Password</c>. Never printed.</summary>
    public ConfigEntry? Password { get; init; }

    /// <summary><c>Subject</c>: a store certificate.</summary>
    public ConfigEntry? Subject { get; init; }

    /// <summary><c>Store</c>.</summary>
    public ConfigEntry? Store { get; init; }

    /// <summary><c>Location</c> of the store (<c>CurrentUser</c> when absent).</summary>
    public ConfigEntry? Location { get; init; }

    /// <summary>
    /// A store certificate from <c>LocalMachine\My</c> (<c>My</c> is also what an absent <c>Store</c> means): on Linux .NET
    /// opens only the Root and CA stores of LocalMachine, so Kestrel does not start (docs/evidence/kestrel.md#round3-store).
    /// </summary>
    public bool IsLocalMachineMy =>
        Subject?.Value is { Length: > 0 } && Path?.Value is not { Length: > 0 }
        && string.Equals(Location?.Value?.Trim(), "LocalMachine", StringComparison.OrdinalIgnoreCase)
        && StoreName.Equals("My", StringComparison.OrdinalIgnoreCase);

    /// <summary>The store Kestrel opens: <c>Store</c>, or <c>My</c> when it is absent or empty.</summary>
    public string StoreName => Store?.Value is { Length: > 0 } name ? name.Trim() : "My";

    /// <summary>The file the Path resolves to (absolute), when it is a file certificate: for a container path, the repository file that provides it.</summary>
    public string? ResolvedPath { get; init; }

    /// <summary>The file the KeyPath resolves to (absolute), like <see cref="ResolvedPath"/>.</summary>
    public string? ResolvedKeyPath { get; init; }

    /// <summary>What provides the container path in Path (a COPY, a volume, a secret), when it is one.</summary>
    public Provision? PathProvision { get; init; }

    /// <summary>Path is an absolute container path that nothing in the repository provides.</summary>
    public bool PathNotProvided { get; init; }

    /// <summary>The KeyPath file is an encrypted PEM key (true), an unencrypted one (false), or unknown (null).</summary>
    public bool? KeyEncrypted { get; init; }

    /// <summary>Kestrel loads a certificate from this section: a non-empty Path or Subject (an empty Path counts as absent, docs/evidence/kestrel.md#item5).</summary>
    public bool HasSource => Path?.Value is { Length: > 0 } || Subject?.Value is { Length: > 0 };

    internal CertificateSettings WithKeyEncrypted(bool? encrypted) => new()
    {
        Key = Key, Section = Section, Path = Path, KeyPath = KeyPath, Password = Password, Subject = Subject, Store = Store, Location = Location,
        ResolvedPath = ResolvedPath, ResolvedKeyPath = ResolvedKeyPath, PathProvision = PathProvision, PathNotProvided = PathNotProvided,
        Owner = Owner, KeyEncrypted = encrypted,
    };

    /// <summary>Describes the owner for messages: "endpoint 'Https'", "Certificates:Default"…</summary>
    public required Localization.LocalizedText Owner { get; init; }
}

/// <summary>An <c>Sni</c> entry of an endpoint.</summary>
public sealed class SniEntry
{
    /// <summary>The host pattern (<c>*.example.com</c>, <c>*</c>…).</summary>
    public required string Host { get; init; }

    /// <summary>Where the entry is written.</summary>
    public required ConfigEntry Entry { get; init; }

    /// <summary>The entry's own certificate; null means it reuses the endpoint's certificate without its chain.</summary>
    public CertificateSettings? Certificate { get; init; }
}

/// <summary>A configured (or implicit) Kestrel endpoint.</summary>
public sealed class KestrelEndpoint
{
    /// <summary>The endpoint name (the key under <c>Endpoints</c>), or the variable that declared an implicit one.</summary>
    public required string Name { get; init; }

    /// <summary>Where the endpoint is written (its <c>Url</c> value, or the variable).</summary>
    public required ConfigEntry Origin { get; init; }

    /// <summary>The URL scheme is https.</summary>
    public required bool IsHttps { get; init; }

    /// <summary>Effective <c>Protocols</c>: the endpoint's, else <c>EndpointDefaults:Protocols</c>.</summary>
    public ConfigEntry? Protocols { get; init; }

    /// <summary>The endpoint's own certificate.</summary>
    public CertificateSettings? Certificate { get; init; }

    /// <summary>The <c>Sni</c> entries.</summary>
    public IReadOnlyList<SniEntry> Sni { get; init; } = [];

    /// <summary>HTTP/3 is enabled (<c>Http3</c> or <c>Http1AndHttp2AndHttp3</c>).</summary>
    public bool EnablesHttp3 => Protocols?.Value?.IndexOf("Http3", StringComparison.OrdinalIgnoreCase) >= 0;
}

/// <summary>How a certificate reaches Kestrel, with the chain Kestrel passes to SslStreamCertificateContext.</summary>
public sealed class ServedCertificate
{
    /// <summary>The certificate settings in use.</summary>
    public required CertificateSettings Settings { get; init; }

    /// <summary>The endpoint serving it.</summary>
    public required KestrelEndpoint Endpoint { get; init; }

    /// <summary>The configuration line findings point at.</summary>
    public required ConfigEntry Cause { get; init; }

    /// <summary>An Sni entry without its own certificate: Kestrel passes no chain (docs/evidence/kestrel.md#a12).</summary>
    public SniEntry? ChainDroppedBySni { get; init; }

    /// <summary>For messages: "endpoint 'Https'", "Sni entry 'localhost' of endpoint 'Https'"…</summary>
    public required Localization.LocalizedText Via { get; init; }

    // The same served certificate pointing at the settings object that replaced its own (key facts added later).
    internal ServedCertificate WithSettings(IReadOnlyList<CertificateSettings> replaced) => new()
    {
        Settings = replaced.FirstOrDefault(r => r.Key == Settings.Key) ?? Settings,
        Endpoint = Endpoint, Cause = Cause, ChainDroppedBySni = ChainDroppedBySni, Via = Via,
    };
}

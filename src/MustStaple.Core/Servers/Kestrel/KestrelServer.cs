using MustStaple.Diagnostics;
using MustStaple.Localization;
using MustStaple.Servers;

namespace MustStaple.Kestrel;

/// <summary>
/// Kestrel as one server of the model (issue 19): a content root's <see cref="Deployment"/> as a
/// <see cref="ServerDeployment"/> of <see cref="ServerKind.Kestrel"/>. Each https endpoint without <c>Sni</c> and each
/// <c>Sni</c> entry is a <see cref="TlsEndpoint"/>; each certificate Kestrel serves there is an
/// <see cref="EndpointCertificate"/> that keeps its <see cref="ServedCertificate"/>, which the MST3xxx rules judge.
/// </summary>
public static class KestrelServer
{
    /// <summary>
    /// The deployment's https endpoints and Sni entries with what each serves; http endpoints present no certificate and are
    /// left out. What could not be read stays in <see cref="Deployment.Errors"/>, reported once by the Kestrel rules.
    /// </summary>
    public static ServerDeployment From(Deployment d) => new()
    {
        Server = ServerKind.Kestrel,
        // Kestrel's configuration starts at the content root's appsettings.json, whether or not it exists (variables alone configure it too).
        ConfigFile = Path.Combine(d.ContentRoot, "appsettings.json"),
        Endpoints = d.Endpoints.Where(e => e.IsHttps).SelectMany(e => EndpointsOf(d, e)).ToList(),
        KestrelDeployment = d,
    };

    private static IEnumerable<TlsEndpoint> EndpointsOf(Deployment d, KestrelEndpoint e)
    {
        var served = d.Served.Where(s => s.Endpoint == e).ToList();
        if (e.Sni.Count == 0)
        {
            yield return Endpoint(d, e, Texts.Servers.Text("Endpoint.Kestrel", e.Name), e.Origin.ValueLocation, served);
            yield break;
        }
        // Kestrel picks the Sni entry by the client's server name; an entry serves its own certificate, else the endpoint's without its chain.
        foreach (var entry in e.Sni)
        {
            var via = served.Where(s => s.ChainDroppedBySni == entry || (s.ChainDroppedBySni is null && entry.Certificate is { } c && s.Settings.Key == c.Key)).ToList();
            yield return Endpoint(d, e, Texts.Servers.Text("Endpoint.KestrelSni", entry.Host, e.Name), entry.Entry.KeyLocation, via);
        }
    }

    private static TlsEndpoint Endpoint(Deployment d, KestrelEndpoint e, LocalizedText name, SourceLocation at, IEnumerable<ServedCertificate> served) => new()
    {
        Server = ServerKind.Kestrel,
        Label = name,
        Location = at,
        Certificates = served.Select(s => Certificate(d, s)).ToList(),
        // Kestrel has no stapling switch: .NET staples by itself on Linux only (docs/evidence/kestrel.md#platforms); an unknown platform
        // is not known to be off. The MST3xxx rules, not this flag, decide the rest.
        StaplingOn = d.Platform is TargetPlatform.Linux or TargetPlatform.Unknown,
        Settings = Settings(e),
    };

    private static EndpointCertificate Certificate(Deployment d, ServedCertificate s) => new()
    {
        Certificate = new FileReference(s.Settings.Path?.Value ?? s.Settings.Subject?.Value ?? "", s.Cause.ValueLocation, s.Settings.ResolvedPath),
        // Kestrel completes the chain from the certificate file (a PEM Path; nothing from a PFX) and the trust store the image adds to.
        IssuerSources = d.AddedTrustFiles.Select(f => new FileReference(f, SourceLocation.StartOf(f), f)).ToList(),
        KestrelServed = s,
    };

    private static Dictionary<string, Directive> Settings(KestrelEndpoint e)
    {
        var settings = new Dictionary<string, Directive>(StringComparer.Ordinal);
        if (e.Protocols is { } p) settings["protocols"] = new Directive("Protocols", [p.Value ?? ""], p.KeyLocation, [p.ValueLocation]);
        settings["url"] = new Directive("Url", [e.Origin.Value ?? ""], e.Origin.KeyLocation, [e.Origin.ValueLocation]);
        return settings;
    }
}

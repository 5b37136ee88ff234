using MustStaple.Diagnostics;

namespace MustStaple.Acme;

/// <summary>What a file the ACME client writes holds (certbot's cert.pem, chain.pem, fullchain.pem and the like).</summary>
public enum PlannedContent
{
    /// <summary>The leaf only (certbot cert.pem, lego --no-bundle, acme.sh &lt;domain&gt;.cer).</summary>
    Leaf,

    /// <summary>The leaf, then the issuing chain (certbot fullchain.pem, lego &lt;domain&gt;.crt, acme.sh fullchain.cer).</summary>
    LeafAndChain,

    /// <summary>The issuing chain only (certbot chain.pem, lego &lt;domain&gt;.issuer.crt, acme.sh ca.cer).</summary>
    Chain,
}

/// <summary>
/// A file the client will write. <see cref="Pattern"/> is a path ('/'-separated) whose <c>*</c> segments match any one
/// segment; a relative pattern matches the end of a server's path (the client's folder may be mounted elsewhere).
/// </summary>
public sealed record PlannedFile(string Pattern, PlannedContent Content);

/// <summary>A must-staple request: a certificate that does not exist yet, with where it was asked for and where it will be written.</summary>
public sealed class AcmeRequest
{
    /// <summary>The client: <c>certbot</c>, <c>lego</c>, <c>acme.sh</c>, <c>win-acme</c>, <c>Posh-ACME</c>, <c>dehydrated</c>, <c>mod_md</c>, <c>Caddy</c>.</summary>
    public required string Client { get; init; }

    /// <summary>The must-staple switch as written (<c>--must-staple</c>, <c>must_staple = True</c>…).</summary>
    public required string Switch { get; init; }

    /// <summary>Where the switch is written.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>The ACME server as written (a directory URL or a client's short name); null: the client's default.</summary>
    public string? Server { get; init; }

    /// <summary>Where the server is named; null when the default applies.</summary>
    public SourceLocation? ServerLocation { get; init; }

    /// <summary>The authority it talks to.</summary>
    public required AcmeAuthority Authority { get; init; }

    /// <summary>The certificate's name (certbot --cert-name, else the first domain); null when unknown.</summary>
    public string? Name { get; init; }

    /// <summary>The domains named in the request (may hold unexpanded variables).</summary>
    public IReadOnlyList<string> Domains { get; init; } = [];

    /// <summary>The files the client will write the certificate to.</summary>
    public IReadOnlyList<PlannedFile> Files { get; init; } = [];

    /// <summary>How messages name it: <c>certbot certificate 'example.com'</c>.</summary>
    public string DisplayName => Label.English;

    /// <summary>How messages name it, in any language (Localization/Acme.resx).</summary>
    public Localization.LocalizedText Label => Name is { Length: > 0 } n
        ? Localization.Texts.Acme.Text("Request.Certificate", Client, n) : Localization.Texts.Acme.Text("Request.Certificates", Client);
}

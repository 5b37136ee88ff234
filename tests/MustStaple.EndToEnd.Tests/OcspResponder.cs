using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MustStaple.Testing;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Ocsp;

namespace MustStaple.EndToEnd.Tests;

/// <summary>
/// A real OCSP responder on 127.0.0.1 (Kestrel + BouncyCastle): answers GET {base}/{base64 request} and POST with
/// "good", signed by the issuing CA, valid for an hour from the real clock (what .NET's staple cache requires).
/// </summary>
internal sealed class OcspResponder : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private OcspResponder(WebApplication app, string address) { _app = app; Url = address + "/ocsp"; RemoteUrl = address + "/remote/ocsp"; }

    public string Url { get; }

    /// <summary>
    /// The same responder as a remote one: answers after <see cref="RemoteLatency"/>, as a CA's responder across the
    /// internet does (tens to hundreds of milliseconds), never within the few milliseconds of a handshake.
    /// </summary>
    public string RemoteUrl { get; }

    public TimeSpan RemoteLatency { get; set; } = TimeSpan.FromSeconds(2);

    public TestCertificate? Issuer { get; set; }

    /// <summary>More issuing CAs: each request is answered by the one whose CertID it names.</summary>
    public List<TestCertificate> OtherIssuers { get; } = [];

    /// <summary>Files served by path (e.g. "/root.cer" for an http caIssuers URL), counted in <see cref="FileRequests"/>.</summary>
    public Dictionary<string, byte[]> Files { get; } = new(StringComparer.Ordinal);

    public int FileRequests => Volatile.Read(ref _fileRequests);

    private int _fileRequests;

    /// <summary>Embed the issuer's certificate in responses (OpenSSL's default); Caddy rejects that form (docs/evidence/caddy.md#embedded-issuer).</summary>
    public bool EmbedCertificates { get; set; } = true;

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<OcspResponder> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        OcspResponder? self = null;
        app.Run(async context => await self!.HandleAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new OcspResponder(app, address);
        return self;
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (Files.TryGetValue(context.Request.Path.Value ?? "", out var file))
        {
            Interlocked.Increment(ref _fileRequests);
            context.Response.ContentType = "application/pkix-cert";
            await context.Response.Body.WriteAsync(file);
            return;
        }
        Interlocked.Increment(ref _requests);
        if (context.Request.Path.StartsWithSegments("/remote")) await Task.Delay(RemoteLatency, context.RequestAborted);
        byte[] request;
        if (HttpMethods.IsPost(context.Request.Method))
        {
            using var ms = new MemoryStream();
            await context.Request.Body.CopyToAsync(ms);
            request = ms.ToArray();
        }
        else
        {
            var raw = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
            var b64 = Uri.UnescapeDataString(raw[(raw.IndexOf("/ocsp/", StringComparison.Ordinal) + 6)..]);
            request = Convert.FromBase64String(b64);
        }
        var req = new OcspReq(request);
        var first = req.GetRequestList().FirstOrDefault()?.GetCertID();
        var issuer = new[] { Issuer }.Concat(OtherIssuers).OfType<TestCertificate>().FirstOrDefault(i => first?.MatchesIssuer(i.Certificate) == true)
            ?? Issuer ?? throw new InvalidOperationException("no issuer set");
        var gen = new BasicOcspRespGenerator(new RespID(issuer.Certificate.SubjectDN));
        var now = DateTime.UtcNow;
        foreach (var r in req.GetRequestList())
            gen.AddResponse(r.GetCertID(), CertificateStatus.Good, now.AddMinutes(-1), now.AddHours(1), null);
        var basic = gen.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", issuer.Key.Private), EmbedCertificates ? [issuer.Certificate] : [], now);
        var response = new OCSPRespGenerator().Generate(OCSPRespGenerator.Successful, basic).GetEncoded();
        context.Response.ContentType = "application/ocsp-response";
        await context.Response.Body.WriteAsync(response);
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }
}

using MustStaple.Diagnostics;
using MustStaple.Probe;
using MustStaple.Testing;

namespace MustStaple.Core.Tests.Probe;

/// <summary>
/// Handshake observations as the TLS client records them (chain DER, staple bytes), judged by the probe engine at
/// <see cref="TestClock.Now"/>. The real handshakes are proven in the end-to-end ProbeTests against real servers.
/// </summary>
internal static class ProbeScenario
{
    public static readonly TestCertificate Root = new CertificateBuilder("Probe Test Root").AsCa().Build();
    public static readonly TestCertificate Intermediate = new CertificateBuilder("Probe Test Issuing CA").AsCa().IssuedBy(Root).Build();
    public static readonly TestCertificate Leaf = new CertificateBuilder("shop.example").MustStaple().Ocsp("http://ocsp.example.test/").IssuedBy(Intermediate).Build();
    public static readonly TestCertificate Other = new CertificateBuilder("other.example").MustStaple().Ocsp("http://ocsp.example.test/").IssuedBy(Intermediate).Build();
    public static readonly TestCertificate Plain = new CertificateBuilder("plain.example").Ocsp("http://ocsp.example.test/").IssuedBy(Intermediate).Build();

    public const string Url = "https://shop.example/";

    public static byte[] GoodStaple(TestCertificate? leaf = null, TimeSpan? left = null) =>
        OcspResponses.For(leaf ?? Leaf, Intermediate, TestClock.Now.AddHours(-1), TestClock.Now + (left ?? TimeSpan.FromDays(3)));

    /// <summary>A completed handshake serving <paramref name="leaf"/> and the intermediate, stapling <paramref name="staple"/>.</summary>
    public static HandshakeObservation Served(int number, byte[]? staple, TestCertificate? leaf = null, string version = "TLSv1.3") => new()
    {
        Number = number,
        Version = version,
        Chain = [(leaf ?? Leaf).Der, Intermediate.Der],
        Staple = staple,
    };

    public static HandshakeObservation Failed(int number, string why) => new() { Number = number, Failure = MustStaple.Localization.LocalizedText.Plain(why) };

    public static LintResult Judge(params HandshakeObservation[] handshakes) => Judge(new ProbeRequest { Targets = [], Now = TestClock.Now }, handshakes);

    public static LintResult Judge(ProbeRequest request, params HandshakeObservation[] handshakes)
    {
        var target = ProbeTarget.Parse("shop.example", null, null, out _)!;
        var endpoint = ProbeEngine.Read(target, handshakes, request);
        return ProbeEngine.Judge([endpoint], request);
    }

    public static Diagnostic Single(LintResult result, string id)
    {
        var found = result.Diagnostics.Where(d => d.Id == id).ToList();
        Assert.HasCount(1, found, Describe(result));
        Assert.AreEqual(SourceLocation.StartOf(Url), found[0].Location, "a live endpoint is located at its URL");
        return found[0];
    }

    public static string Describe(LintResult result) => string.Join("\n", result.Diagnostics.Select(d => CanonicalFormatter.Format(d, d.Location.Path)));
}

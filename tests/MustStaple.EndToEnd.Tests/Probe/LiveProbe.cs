using MustStaple.Diagnostics;
using MustStaple.Probe;

namespace MustStaple.EndToEnd.Tests.Probe;

/// <summary>
/// The probe (Core's <see cref="ProbeEngine"/>, exactly what <c>muststaple-lint probe</c> runs) against a server on
/// 127.0.0.1 under the name 'localhost', at the real clock (the staples and the responder are dated by it).
/// </summary>
internal static class LiveProbe
{
    public static LintResult Run(int port, ProbeTlsVersions versions = ProbeTlsVersions.Both, string? trustPem = null, int handshakes = 3) =>
        ProbeEngine.Run(new ProbeRequest
        {
            Targets = [ProbeTarget.Parse("localhost:" + port, null, "127.0.0.1:" + port, out _)!],
            Now = DateTimeOffset.UtcNow,
            Handshakes = handshakes,
            Timeout = TimeSpan.FromSeconds(5),
            Versions = versions,
            TrustFiles = trustPem is null ? [] : [System.Text.Encoding.ASCII.GetBytes(trustPem)],
        });

    /// <summary>The IDs of the error and warning findings, sorted, space-separated ("" when clean): what the comparisons with gnutls-cli assert.</summary>
    public static string Verdicts(LintResult result) =>
        string.Join(" ", result.Diagnostics.Where(d => d.Severity is Severity.Error or Severity.Warning).Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal));

    /// <summary>The verdicts of a probe of <paramref name="port"/>, checked to be at the endpoint's URL.</summary>
    public static string Verdicts(int port, ProbeTlsVersions versions = ProbeTlsVersions.Both, string? trustPem = null)
    {
        var result = Run(port, versions, trustPem);
        foreach (var d in result.Diagnostics) Assert.AreEqual($"https://localhost:{port}/", d.Location.Path, Describe(result));
        return Verdicts(result);
    }

    public static string Describe(LintResult result) =>
        string.Join("\n", result.Diagnostics.Select(d => CanonicalFormatter.Format(d, d.Location.Path)));
}

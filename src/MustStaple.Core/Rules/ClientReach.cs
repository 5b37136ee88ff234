using MustStaple.Diagnostics;
using MustStaple.Kestrel;

namespace MustStaple.Rules;

/// <summary>
/// The server that faces the client decides: a Kestrel stapling verdict (MST3xxx) on a certificate no client meets
/// becomes a note that says why — the endpoint is hidden behind a front the hosting layer shows (issue 19), or the
/// official image binds http only and nothing adds an https address (KESTREL-STAPLING §2.7.2).
/// </summary>
internal static class ClientReach
{
    /// <summary>For each configuration line a verdict can point at, why the verdict is only a note.</summary>
    public static Dictionary<SourceLocation, string> NotesByLocation(IEnumerable<Deployment> deployments)
    {
        var notes = new Dictionary<SourceLocation, string>();
        var judged = new HashSet<SourceLocation>(); // a line a client-facing deployment also serves keeps its verdict
        foreach (var d in deployments)
        {
            foreach (var s in d.Served)
            {
                string? reason = d.Front is { } front
                    ? $"(Only a note: no client reaches this endpoint directly — clients meet {front}, which is judged instead.)"
                    : d.ImageBindsHttpOnly is { } image && s.Endpoint.Name == "(default https address)"
                        ? $"(Only a note: the official image ({Path.GetFileName(image.Path)} line {image.Line}) sets ASPNETCORE_HTTP_PORTS=8080 and nothing in the repository adds an https address, so Certificates:Default is presented only if the deployment adds ASPNETCORE_URLS or ASPNETCORE_HTTPS_PORTS.)"
                        : null;
                foreach (var at in new[] { s.Cause.ValueLocation, s.Endpoint.Protocols?.ValueLocation }.OfType<SourceLocation>())
                {
                    if (reason is null) judged.Add(at);
                    else notes[at] = reason;
                }
            }
        }
        foreach (var at in judged) notes.Remove(at);
        return notes;
    }

    /// <summary>True for the verdicts a hidden endpoint turns into notes.</summary>
    public static bool IsStaplingVerdict(Diagnostic d) => d.Descriptor.Category == RuleCategory.Stapling && d.Id.StartsWith("MST3", StringComparison.Ordinal);
}

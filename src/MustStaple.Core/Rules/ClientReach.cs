using MustStaple.Diagnostics;
using MustStaple.Hosting;
using MustStaple.Kestrel;
using MustStaple.Localization;
using MustStaple.Servers;

namespace MustStaple.Rules;

/// <summary>
/// The server that faces the client decides: a Kestrel stapling verdict (MST3xxx) on a certificate no client meets
/// becomes a note that says why — the endpoint is hidden behind a front the hosting layer shows (issue 19), or the
/// official image binds http only and nothing adds an https address (docs/evidence/kestrel.md#round3-ports).
/// </summary>
internal static class ClientReach
{
    /// <summary>
    /// For each configuration line a verdict can point at, why the verdict is only a note: judged over the model's one
    /// endpoint list (<see cref="LintContext.AllServers"/>), where Kestrel's endpoints stand beside the proxies in front of them.
    /// </summary>
    public static Dictionary<SourceLocation, LocalizedText> NotesByLocation(IEnumerable<ServerDeployment> servers)
    {
        var notes = new Dictionary<SourceLocation, LocalizedText>();
        var judged = new HashSet<SourceLocation>(); // a line a client-facing deployment also serves keeps its verdict
        foreach (var (d, endpoint) in KestrelEndpoints(servers))
        {
            foreach (var served in endpoint.Certificates)
            {
                if (served.KestrelServed is not { } s) continue;
                var reason = d.Front is { } front
                    ? Texts.Rules.Text("ClientReach.Note.Front", front)
                    : d.ImageBindsHttpOnly is { } image && s.Endpoint.Name == "(default https address)"
                        ? Texts.Rules.Text("ClientReach.Note.ImageHttpOnly", Path.GetFileName(image.Path), image.Line)
                        : null;
                foreach (var at in new[] { served.Certificate.Location, endpoint.Setting("Protocols")?.ValueLocation }.OfType<SourceLocation>())
                {
                    if (reason is null) judged.Add(at);
                    else notes[at] = reason;
                }
            }
        }
        foreach (var at in judged) notes.Remove(at);
        return notes;
    }

    // The proxies' own verdicts (MST4xxx) stand where they are: only Kestrel's endpoints can hide behind a front today.
    private static IEnumerable<(Deployment, TlsEndpoint)> KestrelEndpoints(IEnumerable<ServerDeployment> servers) =>
        from server in servers
        where server.Server == ServerKind.Kestrel && server.KestrelDeployment is not null
        from endpoint in server.Endpoints
        select (server.KestrelDeployment!, endpoint);

    /// <summary>
    /// Marks each Kestrel deployment whose every service the hosting layer shows as unreachable by clients: a compose
    /// service that publishes no <c>ports</c> while another service of the file publishes some and its server
    /// configuration forwards to it; a Kubernetes workload only ClusterIP Services select, behind an Ingress that routes
    /// to one of them. Without such evidence nothing changes (today's verdicts stand).
    /// </summary>
    public static void AssignFronts(IEnumerable<Deployment> deployments, HostingModel hosting, IReadOnlyList<ServerDeployment> servers, Func<string, byte[]?> read)
    {
        foreach (var d in deployments)
        {
            var files = new HashSet<string>(d.ContainerFiles, StringComparer.Ordinal);
            var apps = hosting.Services.Where(s => s.Kind == HostKind.Compose
                    ? (s.Dockerfile is not null && files.Contains(s.Dockerfile)) || (files.Contains(s.Location.Path) && s.Environment.Any(e => IsAspNet(e.Key)))
                    : s.Kind == HostKind.Kubernetes && files.Contains(s.Location.Path) && s.Environment.Any(e => IsAspNet(e.Key)))
                .ToList();
            if (apps.Count == 0) continue;
            var fronts = apps.Select(a => FrontOf(a, hosting, servers, read)).ToList();
            var distinct = fronts.OfType<LocalizedText>().Distinct().ToList();
            if (fronts.All(f => f is not null))
                d.Front = distinct.Count == 1 ? distinct[0] : Texts.Rules.Text("List.And", LocalizedText.Join(distinct.Take(distinct.Count - 1)), distinct[distinct.Count - 1]);
        }
    }

    private static LocalizedText? FrontOf(HostedService app, HostingModel hosting, IReadOnlyList<ServerDeployment> servers, Func<string, byte[]?> read)
    {
        if (app.Published is not { Count: 0 }) return null; // published, or nothing says how it is run
        if (app.Kind == HostKind.Kubernetes)
        {
            var ingress = hosting.Kubernetes.Ingresses.FirstOrDefault(i => i.Backends.Any(b => app.HostNames.Contains(b, StringComparer.Ordinal)));
            return ingress is null ? null : Texts.Rules.Text("ClientReach.Front.Ingress", ingress.Name, Path.GetFileName(ingress.Location.Path), ingress.Location.Line, ingress.IngressClass ?? "default");
        }
        foreach (var front in hosting.Services.Where(s => s != app && s.Kind == HostKind.Compose && s.Location.Path == app.Location.Path && s.Published is { Count: > 0 }))
        {
            foreach (var server in servers)
            {
                if (hosting.Locate(server.ConfigFile) is not var (holder, _) || holder != front) continue;
                if (read(server.ConfigFile) is not { } bytes) continue;
                var text = Discovery.TextDecoder.Decode(bytes, strict: false).Text ?? "";
                if (app.HostNames.Any(h => Forwards(text, h)))
                    return Texts.Rules.Text("ClientReach.Front.Proxy", front.Label, server.Server, Path.GetFileName(server.ConfigFile), front.Published![0].HostPort ?? front.Published[0].ContainerPort);
            }
        }
        return null;
    }

    // A proxy directive naming the host: nginx proxy_pass/upstream server, Apache ProxyPass, HAProxy server, Caddy reverse_proxy.
    private static bool Forwards(string text, string host)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            var hash = line.IndexOf('#');
            if (hash >= 0) line = line.Substring(0, hash);
            // nginx writes blocks on one line (location / { proxy_pass https://app:8443; }): any word may be the directive.
            var words = line.Split([' ', '\t', '{', '}', ';'], StringSplitOptions.RemoveEmptyEntries);
            if (!words.Any(ProxyDirectives.Contains)) continue;
            for (var at = line.IndexOf(host, StringComparison.Ordinal); at >= 0; at = line.IndexOf(host, at + 1, StringComparison.Ordinal))
            {
                var end = at + host.Length;
                if ((at == 0 || !IsNameChar(line[at - 1])) && (end == line.Length || (!IsNameChar(line[end]) && line[end] != '.'))) return true;
            }
        }
        return false;
    }

    private static readonly HashSet<string> ProxyDirectives = new(StringComparer.OrdinalIgnoreCase)
    {
        "proxy_pass", "grpc_pass", "server", "ProxyPass", "ProxyPassReverse", "reverse_proxy", "to",
    };

    private static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '-' or '.';

    private static bool IsAspNet(string key) =>
        key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) || key.StartsWith("DOTNET_", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("Kestrel__", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for the verdicts a hidden endpoint turns into notes.</summary>
    public static bool IsStaplingVerdict(Diagnostic d) => d.Descriptor.Category == RuleCategory.Stapling && d.Id.StartsWith("MST3", StringComparison.Ordinal);
}

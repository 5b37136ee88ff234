using MustStaple.Diagnostics;
using MustStaple.Discovery;
using MustStaple.Kestrel;
using MustStaple.Servers;

namespace MustStaple.Acme;

/// <summary>
/// The one entry point for ACME clients' requests: finds every must-staple request among the discovered files and
/// the server configurations already read (mod_md), with its client, authority, name and the files it will write.
/// Each file is read once through the engine's guarded reader (size cap, never outside the source root); a file
/// that may be a script by its place but not its name is first judged by its head (<see cref="HeadBytes"/>: a NUL byte means binary, skipped) and
/// only a text file of at most <see cref="MaxCandidateSize"/> is read whole. Lines are scanned once, at most
/// <see cref="MaxLines"/> per file, and only lines holding a switch are split.
/// </summary>
public static class AcmeReader
{
    /// <summary>Bytes read to tell a text script candidate from a binary file.</summary>
    public const int HeadBytes = 1024;

    /// <summary>A script candidate larger than this is data, not a script: not read.</summary>
    public const int MaxCandidateSize = 1024 * 1024;

    /// <summary>Lines scanned per file.</summary>
    public const int MaxLines = 200_000;

    private static readonly AssetKind[] CommandKinds = [AssetKind.Script, AssetKind.Dockerfile, AssetKind.Compose, AssetKind.Manifest, AssetKind.ScriptCandidate];

    /// <summary>Every must-staple request in <paramref name="assets"/> and <paramref name="servers"/>, in file order.</summary>
    public static IReadOnlyList<AcmeRequest> Read(AssetSet assets, IReadOnlyList<ServerDeployment> servers, string sourceRoot,
        Func<string, byte[]?> read, WorkBudget? budget = null, Action<LoadError>? problem = null, AcmeAuthorities? authorities = null)
    {
        // The shipped list (a JSON resource) is parsed on first need: most repositories hold no must-staple switch.
        AcmeAuthorities Authorities() => authorities ??= AcmeAuthorities.Shipped;
        budget ??= new WorkBudget();
        var requests = new List<AcmeRequest>();
        // The run's work budget: bytes (the engine's reader charges its own reads; a candidate's head and body are charged
        // here), and one node per line of each file that holds a switch. A limit reached is that file's one MST0001.
        foreach (var asset in assets.All.Where(a => a.Kind == AssetKind.AcmeConfig || CommandKinds.Contains(a.Kind) || IsCaddyJson(a)))
        {
            var configKind = AcmeConfigReader.KindOf(asset.Path);
            var found = ReadBoundary.Guard(asset.Path, "script or ACME client configuration", () =>
            {
                var bytes = asset.Kind == AssetKind.ScriptCandidate ? ReadCandidate(asset.Path, sourceRoot, budget) : read(asset.Path);
                if (bytes is null || !MayHoldSwitch(bytes)) return [];
                var text = TextDecoder.Decode(bytes, strict: false).Text ?? "";
                var lines = Lines(text);
                budget.Charge(asset.Path, WorkKind.Nodes, lines.Count);
                if (IsCaddyJson(asset)) return AcmeConfigReader.ReadCaddyJson(asset.Path, text, lines, Authorities()).ToList();
                if (configKind is not null && (asset.Kind == AssetKind.AcmeConfig || configKind == "dehydrated"))
                    return AcmeConfigReader.Read(asset.Path, configKind, lines, Authorities()).ToList();
                var yaml = asset.Kind is AssetKind.Compose or AssetKind.Manifest;
                return AcmeCommandReader.Read(asset.Path, lines, yaml, Authorities()).ToList();
            }, fault =>
            {
                problem?.Invoke(fault);
                return [];
            });
            requests.AddRange(found);
        }
        foreach (var d in servers)
            foreach (var md in d.ManagedDomains)
                if (md.MustStaple is { IsOn: true } flag)
                {
                    var ca = md.CertificateAuthority is { Value.Length: > 0 } c ? c : null;
                    requests.Add(new AcmeRequest
                    {
                        Client = "mod_md", Switch = $"{flag.Name} {flag.Value}", Location = flag.Location,
                        Server = ca?.Value, ServerLocation = ca?.ValueLocation,
                        Authority = ca is null ? Authorities().DefaultOf("mod_md") : Authorities().Resolve(ca.Value),
                        Name = md.Names[0], Domains = md.Names,
                        Files = md.Names.Select(n => new PlannedFile("mod_md:" + n, PlannedContent.LeafAndChain)).ToList(),
                    });
                }
        return requests;
    }

    private static bool IsCaddyJson(Asset a) => a.Kind == AssetKind.CaddyConfig && a.Path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    // Every switch and key the readers look for holds "staple" (--must-staple, -OCSPMustStaple, must_staple,
    // Le_OCSP_Staple, OCSP_MUST_STAPLE), except acme.sh's short '--ocsp': one pass over the bytes skips the rest.
    private static bool MayHoldSwitch(byte[] bytes)
    {
        for (var i = 0; i + 5 < bytes.Length; i++)
        {
            var b = bytes[i] | 0x20;
            if (b == 's' && (bytes[i + 1] | 0x20) == 't' && (bytes[i + 2] | 0x20) == 'a' && (bytes[i + 3] | 0x20) == 'p' && (bytes[i + 4] | 0x20) == 'l'
                && (bytes[i + 5] | 0x20) == 'e') return true;
            if (bytes[i] == '-' && bytes[i + 1] == '-' && bytes[i + 2] == 'o' && bytes[i + 3] == 'c' && bytes[i + 4] == 's' && bytes[i + 5] == 'p') return true;
        }
        return false;
    }

    // A script candidate: its head first; a binary (a NUL byte) or a large file is not a script. Nothing is
    // reported for such files: they are not inputs the lint claims to read.
    private static byte[]? ReadCandidate(string path, string sourceRoot, WorkBudget budget)
    {
        var head = InputFile.ReadHead(path, sourceRoot, HeadBytes);
        if (head.Bytes is not { } h) return null;
        budget.Charge(path, WorkKind.Bytes, h.Length);
        if (Array.IndexOf(h, (byte)0) >= 0) return null;
        if (h.Length < HeadBytes) return h;
        if (InputFile.Read(path, sourceRoot, MaxCandidateSize).Bytes is not { } all) return null;
        budget.Charge(path, WorkKind.Bytes, all.Length);
        return Array.IndexOf(all, (byte)0) < 0 ? all : null;
    }

    private static List<string> Lines(string text)
    {
        var lines = new List<string>();
        var start = 0;
        while (start <= text.Length && lines.Count < MaxLines)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0) end = text.Length;
            var line = text.Substring(start, end - start);
            lines.Add(line.Length > 0 && line[line.Length - 1] == '\r' ? line.Substring(0, line.Length - 1) : line);
            start = end + 1;
        }
        return lines;
    }
}

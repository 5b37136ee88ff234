using System.Text;
using MustStaple.Certificates;
using MustStaple.Discovery;

namespace MustStaple.Kestrel;

/// <summary>What the facts writer needs: the project folder, its platform signals and the passwords found in its code.</summary>
public sealed class CodeFactsRequest
{
    /// <summary>The project folder (content root); paths in the facts file are relative to it.</summary>
    public required string ProjectDirectory { get; init; }

    /// <summary>Explicit platform (MustStapleTargetOS); default: inferred as the lint infers it.</summary>
    public TargetPlatform? TargetPlatform { get; init; }

    /// <summary>Environment name for <c>appsettings.{Environment}.json</c> (passwords configured there).</summary>
    public string? Environment { get; init; }

    /// <summary>Evaluated MSBuild properties that tell the platform.</summary>
    public IReadOnlyDictionary<string, string> ProjectProperties { get; init; } = new Dictionary<string, string>();

    /// <summary>Candidate PKCS#12 passwords (string literals of the project's code). Tried, never written.</summary>
    public IReadOnlyList<string> Passwords { get; init; } = [];
}

/// <summary>
/// The certificate facts the C# analyzer decides with (issue 13.2): per certificate file of the project, whether its
/// leaf is must-staple and stapleable (http OCSP), and what Core's chain analysis concludes when Kestrel gets the leaf
/// alone (a PFX, a certificate loaded in code) or with the file's own certificates as chain; per must-staple leaf and
/// PEM file, the verdict when that file is passed as <c>ServerCertificateChain</c>; the certificate paths of the
/// effective Kestrel configuration (never a password). A small line-based text, tab
/// separated, sorted; it holds no password and no key material. The analyzer does no file I/O and no certificate logic.
/// </summary>
public static class CodeFacts
{
    /// <summary>First line of every facts file; the analyzer ignores files of another version.</summary>
    public const string Header = "muststaple-codefacts\t1";

    /// <summary>Computes the facts text for <paramref name="request"/>.</summary>
    public static string Compute(CodeFactsRequest request)
    {
        var root = Path.GetFullPath(request.ProjectDirectory);
        var assets = AssetDiscovery.Discover([root], [], []);
        var inputs = new InputReader(assets.SourceRoot); // a file that cannot be read is left out; the lint reports it
        var deployment = DeploymentReader.Read(assets, new DeploymentHints
        {
            Environment = request.Environment,
            TargetPlatform = request.TargetPlatform,
            ProjectProperties = request.ProjectProperties,
        }, inputs.Read).FirstOrDefault(d => string.Equals(d.ContentRoot, root, StringComparison.Ordinal));
        var platform = deployment?.Platform ?? request.TargetPlatform ?? PlatformFromProperties(request.ProjectProperties);
        // Candidate passwords (tried, never written): the certificate sections' Password, and the value of any other
        // configuration key named like a password (code reads a PFX password from builder.Configuration["CertPassword"]).
        var configured = (deployment?.CertificateSections.Select(s => s.Password?.Value).OfType<string>() ?? [])
            .Concat((deployment?.Config.Values ?? []).Where(e => IsPasswordKey(e.Key)).Select(e => e.Value).OfType<string>().OrderBy(v => v, StringComparer.Ordinal).Take(MaxConfigPasswords));
        var passwords = request.Passwords.Concat(configured).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).ToArray();

        var files = assets.OfKind(AssetKind.Certificate).Select(a => a.Path).Distinct(StringComparer.Ordinal)
            .Where(p => SourceRelative(p, root) is not null)
            .Select(p => CertificateLoader.Load(p, passwords, assets.SourceRoot))
            .OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        var trust = deployment?.AddedTrustFiles.SelectMany(t => files.Where(f => f.Path == t).SelectMany(f => f.Certificates)).ToList() ?? [];
        var publicRoots = deployment?.HasPublicRoots ?? true;

        var text = new StringBuilder();
        text.Append(Header).Append('\n');
        text.Append("platform\t").Append(PlatformName(platform)).Append('\n');
        // The certificate paths of the effective configuration, for code that reads them (builder.Configuration["…:Path"]).
        // Paths only: never Password.
        // Any other key whose value names a certificate file of the project is listed too (§2.7.11: a path read from
        // builder.Configuration["CertPath"] is as knowable as the configuration itself); never a key named like a password.
        var certificatePaths = new HashSet<string>(files.Select(f => f.Path), StringComparer.Ordinal);
        var named = (deployment?.Config.Values ?? [])
            .Where(e => e.Value is { Length: > 0 } v && !IsPasswordKey(e.Key) && KestrelConfigReader.TryResolvePath(v, root) is { } p && certificatePaths.Contains(p))
            .Select(e => (e.Key, e.Value));
        var paths = (deployment?.CertificateSections ?? [])
            .SelectMany(c => new[] { (Key: c.Key + ":Path", Value: c.Path?.Value), (Key: c.Key + ":KeyPath", Value: c.KeyPath?.Value) })
            .Concat(named)
            .Where(e => e.Value is { Length: > 0 }).GroupBy(e => e.Key, StringComparer.OrdinalIgnoreCase).Select(g => g.First())
            .OrderBy(e => e.Key, StringComparer.Ordinal);
        foreach (var e in paths) Line(text, "config", Clean(e.Key), Clean(e.Value!));
        var pemChains = files.Where(f => !f.IsPkcs12 && f.Certificates.Count > 0).ToList();
        foreach (var file in files)
        {
            var rel = SourceRelative(file.Path, root)!;
            if (file.IsLocked) { Line(text, "cert", rel, "locked"); continue; }
            if (file.Leaf is not { } leaf) continue;
            var stapleable = leaf.IsMustStaple && !leaf.IsCa && leaf.HttpOcspUrls.Any();
            var alone = ChainAnalyzer.Analyze(leaf, [], trust, publicRoots, PublicRoots.Shipped).Outcome;
            var own = file.IsPkcs12 ? alone : ChainAnalyzer.Analyze(leaf, file.Certificates, trust, publicRoots, PublicRoots.Shipped).Outcome;
            Line(text, "cert", rel, file.IsPkcs12 ? "pfx" : "pem", leaf.IsMustStaple ? "must-staple" : "plain",
                stapleable ? "stapleable" : "unstapleable", Outcome(alone), Outcome(own), Clean(leaf.DisplayName));
            if (!stapleable) continue;
            foreach (var chain in pemChains)
                Line(text, "chain", rel, SourceRelative(chain.Path, root)!,
                    Outcome(ChainAnalyzer.Analyze(leaf, chain.Certificates, trust, publicRoots, PublicRoots.Shipped).Outcome));
        }
        return text.ToString();
    }

    private const int MaxConfigPasswords = 16; // each is a key derivation per locked PFX

    private static bool IsPasswordKey(string key) =>
        key.Substring(key.LastIndexOf(':') + 1).IndexOf("password", StringComparison.OrdinalIgnoreCase) is >= 0;

    private static void Line(StringBuilder text, params string[] fields) => text.Append(string.Join("\t", fields)).Append('\n');

    private static string Outcome(ChainOutcome o) => o switch
    {
        ChainOutcome.Complete => "complete",
        ChainOutcome.NeedsDownload => "download",
        _ => "incomplete",
    };

    private static string PlatformName(TargetPlatform p) => p switch
    {
        TargetPlatform.Linux => "linux",
        TargetPlatform.Windows => "windows",
        TargetPlatform.MacOS => "osx",
        _ => "unknown",
    };

    private static TargetPlatform PlatformFromProperties(IReadOnlyDictionary<string, string> properties) =>
        properties.TryGetValue("RuntimeIdentifier", out var rid) && TargetPlatformText.FromRid(rid) is { } p ? p : TargetPlatform.Unknown;

    // File-derived text goes into a tab-separated line and later into compiler messages: no control characters.
    private static string Clean(string s)
    {
        var b = new StringBuilder(Math.Min(s.Length, 200));
        foreach (var c in s.Take(200)) b.Append(char.IsControl(c) ? ' ' : c);
        return b.ToString();
    }

    /// <summary>The path relative to <paramref name="root"/> with '/' separators; null when outside it.</summary>
    private static string? SourceRelative(string path, string root) =>
        Diagnostics.SourcePaths.RelativeTo(path, root)?.Replace('\\', '/');
}

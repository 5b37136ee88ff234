using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace MustStaple.Analyzers;

/// <summary>Core's chain verdict for a leaf, as written by the facts task.</summary>
internal enum Chain
{
    Complete,
    Download,
    Incomplete,
}

/// <summary>One certificate file of the project, as Core sees it.</summary>
internal sealed class CertFact
{
    public CertFact(string path, bool isPfx, bool isLocked, bool isMustStaple, bool isStapleable, Chain alone, Chain withOwnFile, string name)
    {
        Path = path;
        IsPfx = isPfx;
        IsLocked = isLocked;
        IsMustStaple = isMustStaple;
        IsStapleable = isStapleable;
        Alone = alone;
        WithOwnFile = withOwnFile;
        Name = name;
    }

    public string Path { get; }
    public bool IsPfx { get; }
    public bool IsLocked { get; }
    public bool IsMustStaple { get; }

    /// <summary>Must-staple with an http OCSP URL: the only certificates whose stapling the code decides (MST1001 covers the rest).</summary>
    public bool IsStapleable { get; }

    /// <summary>Verdict when Kestrel gets the leaf without any extra certificate.</summary>
    public Chain Alone { get; }

    /// <summary>Verdict when the file's own certificates are the chain (a PEM chain file).</summary>
    public Chain WithOwnFile { get; }

    public string Name { get; }
}

/// <summary>
/// The facts file (<c>muststaple.codefacts.txt</c>, an AdditionalFile written by the package's targets before
/// CoreCompile from Core's certificate analysis). The analyzer never opens a file and never parses a certificate.
/// </summary>
internal sealed class CodeFacts
{
    public const string FileName = "muststaple.codefacts.txt";
    private const string Header = "muststaple-codefacts\t1";

    private readonly Dictionary<string, CertFact> _certs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Chain> _chains = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _config = new(StringComparer.OrdinalIgnoreCase);

    /// <summary><c>linux</c>, <c>windows</c>, <c>osx</c> or <c>unknown</c>.</summary>
    public string Platform { get; private set; } = "unknown";

    /// <summary>The project has a must-staple certificate a server could staple; otherwise the analyzer stays silent.</summary>
    public bool AnyStapleable { get; private set; }

    public CertFact? Find(string path) => _certs.TryGetValue(path, out var f) ? f : null;

    /// <summary>A certificate path of the effective Kestrel configuration (<c>Kestrel:Certificates:Default:Path</c>…), as written.</summary>
    public string? ConfigValue(string key) => _config.TryGetValue(key, out var v) ? v : null;

    public Chain? ChainWith(string leafPath, string chainPath) =>
        _chains.TryGetValue(leafPath + "\t" + chainPath, out var c) ? c : null;

    /// <summary>The facts among <paramref name="files"/>; null when there are none (the analyzer then reports nothing).</summary>
    public static CodeFacts? From(IEnumerable<AdditionalText> files, System.Threading.CancellationToken cancellation)
    {
        foreach (var file in files)
        {
            if (!file.Path.EndsWith(FileName, StringComparison.OrdinalIgnoreCase)) continue;
            if (file.GetText(cancellation) is not SourceText text) continue;
            return Parse(text);
        }
        return null;
    }

    public static CodeFacts? Parse(SourceText text)
    {
        var facts = new CodeFacts();
        var first = true;
        foreach (var line in text.Lines)
        {
            var s = line.ToString();
            if (first)
            {
                if (s != Header) return null; // another version of the package wrote it: decide nothing rather than misread
                first = false;
                continue;
            }
            var f = s.Split('\t');
            switch (f[0])
            {
                case "platform" when f.Length == 2:
                    facts.Platform = f[1];
                    break;
                case "cert" when f.Length == 3 && f[2] == "locked":
                    facts._certs[f[1]] = new CertFact(f[1], true, true, false, false, Chain.Incomplete, Chain.Incomplete, f[1]);
                    break;
                case "cert" when f.Length == 8:
                    var cert = new CertFact(f[1], f[2] == "pfx", false, f[3] == "must-staple", f[4] == "stapleable", ChainOf(f[5]), ChainOf(f[6]), f[7]);
                    facts._certs[f[1]] = cert;
                    facts.AnyStapleable |= cert.IsStapleable;
                    break;
                case "config" when f.Length == 3:
                    facts._config[f[1]] = f[2];
                    break;
                case "chain" when f.Length == 4:
                    facts._chains[f[1] + "\t" + f[2]] = ChainOf(f[3]);
                    break;
            }
        }
        return first ? null : facts;
    }

    private static Chain ChainOf(string s) => s switch
    {
        "complete" => Chain.Complete,
        "download" => Chain.Download,
        _ => Chain.Incomplete,
    };
}

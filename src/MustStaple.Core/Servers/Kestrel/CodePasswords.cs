using System.Text;
using System.Text.RegularExpressions;
using MustStaple.Certificates;
using MustStaple.Discovery;

namespace MustStaple.Kestrel;

/// <summary>
/// Candidate PKCS#12 passwords from C# code (issue 13: a PFX whose password is only in <c>Program.cs</c>). The
/// analyzer cannot open files, so whoever can (the facts task, the lint) tries the string literals of the C# files
/// that name a <c>.pfx</c>/<c>.p12</c> file. Bounded: at most <see cref="MaxCandidates"/> literals of at most
/// <see cref="MaxLength"/> characters; each costs one PKCS#12 MAC check per locked file. Never printed.
/// </summary>
public static class CodePasswords
{
    /// <summary>At most this many distinct literals are tried.</summary>
    public const int MaxCandidates = 64;

    /// <summary>Longer literals are not passwords.</summary>
    public const int MaxLength = 128;

    private static readonly Regex Literal = new(
        @"(?<verbatim>@""(?:[^""]|"""")*"")|""(?<regular>(?:[^""\\\r\n]|\\.){0,512})""",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, TimeSpan.FromSeconds(1));

    private static readonly Regex NamesPfx = new(@"\.(pfx|p12)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>The literals of every source text that names a PKCS#12 file, in order of appearance, deduplicated.</summary>
    public static IReadOnlyList<string> FromSources(IEnumerable<string> sources)
    {
        var found = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            try
            {
                if (!NamesPfx.IsMatch(source)) continue;
                foreach (Match m in Literal.Matches(source))
                {
                    var value = m.Groups["verbatim"].Success
                        ? m.Groups["verbatim"].Value.Substring(2, m.Groups["verbatim"].Length - 3).Replace("\"\"", "\"")
                        : Unescape(m.Groups["regular"].Value);
                    if (value is null || value.Length == 0 || value.Length > MaxLength || !seen.Add(value)) continue;
                    found.Add(value);
                    if (found.Count == MaxCandidates) return found;
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // A pathological file yields no candidates; the PFX then stays locked and is reported as such.
            }
        }
        return found;
    }

    /// <summary>
    /// Reopens each locked PKCS#12 file of <paramref name="files"/> with the literals of the C# files: the lint's side of
    /// issue 13 (a password only in <c>Program.cs</c> must not make the lint report the PFX as unopenable). The C# files
    /// are read, through <see cref="InputFile"/>, only when some PFX is locked.
    /// </summary>
    public static void RetryLocked(CertificateFile[] files, IEnumerable<string> sources, string sourceRoot, WorkBudget? budget = null)
    {
        if (!files.Any(f => f.IsLocked)) return;
        var candidates = FromFiles(sources, sourceRoot);
        if (candidates.Count == 0) return;
        // Every try is a key derivation charged to the run's budget: literals × locked files cannot outgrow it.
        for (var i = 0; i < files.Length; i++)
            if (files[i].IsLocked) files[i] = CertificateLoader.Load(files[i].Path, candidates, sourceRoot, budget);
    }

    /// <summary>
    /// The literals of the C# files at <paramref name="paths"/> (the first <see cref="MaxSourceFiles"/>), each read through
    /// <see cref="InputFile"/> confined to <paramref name="root"/>, capped at <see cref="MaxSourceSize"/>, decoded as the compiler does.
    /// </summary>
    public static IReadOnlyList<string> FromFiles(IEnumerable<string> paths, string root) =>
        FromSources(paths.Take(MaxSourceFiles)
            .Select(p => InputFile.Read(p, root, MaxSourceSize).Bytes).OfType<byte[]>()
            .Select(b => TextDecoder.Decode(b, strict: false).Text).OfType<string>());

    /// <summary>At most this many C# files are read for passwords.</summary>
    public const int MaxSourceFiles = 500;

    /// <summary>Larger C# files are generated code, not where a password is typed.</summary>
    public const long MaxSourceSize = 1024 * 1024;

    // The common escapes; a literal with \u, \x or \U escapes is skipped rather than guessed.
    private static string? Unescape(string s)
    {
        if (s.IndexOf('\\') < 0) return s;
        var b = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] != '\\') { b.Append(s[i]); continue; }
            if (++i == s.Length) return null;
            switch (s[i])
            {
                case '\\': b.Append('\\'); break;
                case '"': b.Append('"'); break;
                case '\'': b.Append('\''); break;
                case 'n': b.Append('\n'); break;
                case 'r': b.Append('\r'); break;
                case 't': b.Append('\t'); break;
                case '0': b.Append('\0'); break;
                default: return null;
            }
        }
        return b.ToString();
    }
}

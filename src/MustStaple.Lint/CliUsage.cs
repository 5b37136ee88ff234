using System.CommandLine;

namespace MustStaple.Lint;

/// <summary>What the command line says beyond System.CommandLine: unknown options (examples and exit codes: CliText.resx).</summary>
internal static class CliUsage
{
    private static readonly string[] HelpTokens = ["--help", "-h", "-?", "/h", "/?"];

    public static bool AskedForHelp(string[] args) => args.TakeWhile(a => a != "--").Any(a => HelpTokens.Contains(a, StringComparer.Ordinal));

    /// <summary>
    /// "unrecognised option '--fromat'" (and the closest known option) for the first token that looks like an option
    /// but is none; null when there is none. Without this a mistyped option would be taken for a PATH.
    /// </summary>
    public static string? UnknownOption(string[] args, RootCommand root)
    {
        var known = root.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).Concat(HelpTokens).Append("--version")
            .Distinct(StringComparer.Ordinal).ToArray();
        foreach (var arg in args)
        {
            if (arg == "--") break;
            if (arg.Length < 2 || arg[0] != '-') continue;
            var name = arg.Split('=', ':')[0];
            if (known.Contains(name, StringComparer.Ordinal)) continue;
            var closest = known.Where(k => k.StartsWith("--", StringComparison.Ordinal))
                .Select(k => (k, d: Distance(name, k))).OrderBy(x => x.d).ThenBy(x => x.k, StringComparer.Ordinal).First();
            var hint = closest.d <= Math.Max(2, name.Length / 3) ? CliText.Get("Usage.DidYouMean", closest.k) : "";
            return CliText.Get("Usage.UnknownOption", name, hint);
        }
        return null;
    }

    // Optimal string alignment distance: a swap of two neighbours ("--fromat") costs 1.
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}

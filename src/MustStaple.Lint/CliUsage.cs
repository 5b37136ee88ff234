using System.CommandLine;

namespace MustStaple.Lint;

/// <summary>What the command line says beyond System.CommandLine: unknown options, examples, exit codes.</summary>
internal static class CliUsage
{
    public const string ExamplesAndExitCodes = """

        Examples:
          dotnet muststaple-lint                                  Lint the current folder (repository or project).
          dotnet muststaple-lint src/Shop --target-os linux       Judge stapling for a Linux deployment.
          dotnet muststaple-lint . --sarif muststaple.sarif       Also write SARIF 2.1.0 for GitHub code scanning.
          dotnet muststaple-lint . --format github                Annotate a GitHub Actions run (automatic under Actions).
          dotnet muststaple-lint . --format json > findings.json  One JSON document for scripts (docs/cli-json.md).
          dotnet muststaple-lint explain MST3001                  Print a rule's page (why, and how to fix it).
          dotnet muststaple-lint . --now 2026-01-01 --nowarn MST1007 --warnaserror MST3002
          dotnet muststaple-lint probe shop.example.com          After a deploy: ask the running server for its staple
                                                                  (dotnet muststaple-lint probe --help).

        Exit codes:
          0  no error-level finding
          1  at least one error-level finding
          2  bad usage, or the lint could not run (one line on stderr)

        """;

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
            var hint = closest.d <= Math.Max(2, name.Length / 3) ? $"; did you mean '{closest.k}'?" : "";
            return $"unrecognised option '{name}'{hint} Run 'dotnet muststaple-lint --help' for usage.";
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

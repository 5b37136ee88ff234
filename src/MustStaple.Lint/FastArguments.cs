namespace MustStaple.Lint;

/// <summary>
/// The common command lines — PATHs and a few single-valued options — read without System.CommandLine. On the
/// JIT-compiled path building and parsing the full command tree JIT-compiles ~200 methods (~10 % of a small run,
/// docs/performance.md 2026-12-06). Anything else — help, version, a response file, a directive, <c>--</c>, an option
/// written with <c>=</c> or <c>:</c>, a repeated option, a value outside an option's list, any other option — returns
/// null and takes the full parser, so every message and exit code stays System.CommandLine's.
/// </summary>
internal static class FastArguments
{
    private static readonly string[] Formats = ["text", "github", "json", "azure", "gitlab"];
    private static readonly string[] Oses = ["linux", "windows", "osx"];

    public static Cli.LintArguments? TryParse(string[] args)
    {
        var paths = new List<string>();
        string? now = null, format = null, environment = null, targetOs = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!IsPlain(arg))
            {
                if (arg.Length == 0 || i + 1 >= args.Length || !IsPlain(args[i + 1])) return null;
                var value = args[++i];
                switch (arg)
                {
                    case "--now" when now is null:
                        now = value;
                        break;
                    case "--environment" when environment is null:
                        environment = value;
                        break;
                    case "--format" when format is null && Array.IndexOf(Formats, value) >= 0:
                        format = value;
                        break;
                    case "--target-os" when targetOs is null && Array.IndexOf(Oses, value) >= 0:
                        targetOs = value;
                        break;
                    default:
                        return null;
                }
                continue;
            }
            paths.Add(arg);
        }
        return new Cli.LintArguments
        {
            Paths = paths.ToArray(),
            Now = now,
            Environment = environment,
            Format = format,
            TargetOs = targetOs,
        };
    }

    // A token System.CommandLine can only read as a value: not empty, not an option ("-"), a response file ("@"), a
    // directive ("["), or a help token ("/h", "/?").
    private static bool IsPlain(string token) =>
        token.Length > 0 && token[0] is not ('-' or '@' or '[') && token is not ("/h" or "/?");
}

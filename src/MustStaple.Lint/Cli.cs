using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using MustStaple;

namespace MustStaple.Lint;

/// <summary>The command line: parses the flags, runs the lint in-process and writes the sinks. Exit codes 0/1/2.</summary>
internal static class Cli
{
    public static int Run(string[] args)
    {
        if (args.Length > 0 && args[0] == "probe") return ProbeCommand.Run(args.Skip(1).ToArray());
        if (args.Length > 0 && args[0] == "explain") return Explain.Run(args.Skip(1).ToArray(), Console.Out);
        var paths = new Argument<string[]>("PATH") { Arity = ArgumentArity.ZeroOrMore, Description = "Folders, project files or certificate files to lint (default: the current folder)." };
        var now = new Option<string?>("--now") { Description = "Judge validity and OCSP responder retirement at this instant (ISO 8601, e.g. 2026-01-01 or 2026-01-01T12:00:00Z) instead of the current time.", HelpName = "DATE" };
        var include = new Option<string[]>("--include") { Description = "Also read files matching GLOB (relative to PATH), even in bin/ obj/ .git/ node_modules/. Repeatable.", HelpName = "GLOB", AllowMultipleArgumentsPerToken = false };
        var exclude = new Option<string[]>("--exclude") { Description = "Never read files matching GLOB (relative to PATH). Wins over --include. Repeatable.", HelpName = "GLOB" };
        var noWarn = new Option<string[]>("--nowarn") { Description = "Suppress these rule IDs (comma- or semicolon-separated, repeatable), e.g. MST1007.", HelpName = "IDS" };
        var warnAsError = new Option<string[]>("--warnaserror")
        {
            Description = "Treat warnings as errors: all of them, or only the listed IDs (e.g. --warnaserror MST3002).",
            HelpName = "IDS",
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var environment = new Option<string?>("--environment") { Description = "ASP.NET Core environment for appsettings.{Environment}.json (default: ASPNETCORE_ENVIRONMENT or DOTNET_ENVIRONMENT from the Dockerfile, else Production).", HelpName = "NAME" };
        var targetOs = new Option<string?>("--target-os") { Description = "Where Kestrel runs: linux, windows or osx (default: inferred from RuntimeIdentifier, container properties or the Dockerfile).", HelpName = "OS" };
        targetOs.AcceptOnlyFromAmong("linux", "windows", "osx");
        var sarif = new Option<FileInfo?>("--sarif") { Description = "Also write a SARIF 2.1.0 log to FILE (for GitHub code scanning).", HelpName = "FILE" };
        var format = new Option<string?>("--format") { Description = "Output format: text (MSBuild canonical lines), github (workflow annotations as well; the default when GITHUB_ACTIONS=true), azure (Azure Pipelines issues as well; the default when TF_BUILD=True), gitlab (lines, and a Code Quality report to --gitlab-report; the default when GITLAB_CI=true) or json (one document for scripts, schema in docs/cli-json.md).", HelpName = "FORMAT" };
        format.AcceptOnlyFromAmong("text", "github", "json", "azure", "gitlab");
        var gitlabReport = new Option<FileInfo?>("--gitlab-report") { Description = "Write a GitLab Code Quality report (JSON) to FILE (implies --format gitlab; default there: gl-code-quality-report.json).", HelpName = "FILE" };
        var pfxPasswordEnv = new Option<string?>("--pfx-password-env") { Description = "Name of an environment variable holding a password to try on PFX files. The value is never printed.", HelpName = "NAME" };

        var root = new RootCommand("Finds OCSP must-staple certificates that will be served without a staple.")
        {
            paths, environment, targetOs, sarif, format, gitlabReport, now, include, exclude, noWarn, warnAsError, pfxPasswordEnv,
        };

        if (CliUsage.UnknownOption(args, root) is { } unknown) return Usage(unknown);
        var parse = root.Parse(NormalizeWarnAsError(args));
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) Console.Error.WriteLine($"muststaple-lint: error: {e.Message}");
            Console.Error.WriteLine("Run 'dotnet muststaple-lint --help' for usage.");
            return 2;
        }

        root.SetAction(result =>
        {
            var targets = result.GetValue(paths) is { Length: > 0 } p ? p : ["."];
            foreach (var t in targets.Where(t => !File.Exists(t) && !Directory.Exists(t)))
                return Usage($"path '{t}' does not exist");

            var instant = DateTimeOffset.UtcNow;
            if (result.GetValue(now) is { } nowText && !DateTimeOffset.TryParse(nowText, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant))
                return Usage($"--now '{nowText}' is not a date (use ISO 8601, e.g. 2026-01-01T00:00:00Z)");

            var passwords = new List<string>();
            if (result.GetValue(pfxPasswordEnv) is { } envName)
            {
                if (Environment.GetEnvironmentVariable(envName) is not { } pw) return Usage($"--pfx-password-env: environment variable '{envName}' is not set");
                passwords.Add(pw);
            }
            passwords.AddRange(MustStaple.Kestrel.PasswordSources.KestrelVariables(Environment.GetEnvironmentVariables()));

            var asErrors = result.GetResult(warnAsError) is not null;
            var asErrorIds = Ids(result.GetValue(warnAsError)).Where(id => id != "*").ToArray();
            var request = new LintRequest
            {
                Paths = targets,
                Now = instant,
                Environment = result.GetValue(environment),
                TargetPlatform = MustStaple.Kestrel.TargetPlatformText.ParseOs(result.GetValue(targetOs)),
                Include = result.GetValue(include) ?? [],
                Exclude = result.GetValue(exclude) ?? [],
                NoWarn = Ids(result.GetValue(noWarn)),
                TreatWarningsAsErrors = asErrors && asErrorIds.Length == 0,
                WarningsAsErrors = asErrorIds,
                PfxPasswords = MustStaple.Kestrel.PasswordSources.Combine(passwords),
            };

            LintResult lint;
            try
            {
                lint = LintEngine.Run(request);
            }
#pragma warning disable CA1031 // the last line of defence: whatever escapes the engine is one line and exit 2, never a stack trace
            catch (Exception ex)
#pragma warning restore CA1031
            {
                return Failure(MustStaple.Rules.LintFailure.Describe(ex));
            }
            var category = string.Join("+", targets.Select(t => MustStaple.Sarif.SarifOptions.CategoryFor(Directory.Exists(t) ? t : Path.GetDirectoryName(Path.GetFullPath(t))!, lint.SourceRoot)));
            return CliOutput.Emit(lint, result.GetValue(format), result.GetValue(sarif), category, "file", "read", result.GetValue(gitlabReport));
        });

        var exit = parse.Invoke();
        if (exit == 0 && CliUsage.AskedForHelp(args)) Console.Out.WriteLine(CliUsage.ExamplesAndExitCodes);
        return exit;
    }

    internal static int Usage(string message)
    {
        Console.Error.WriteLine(MustStaple.Diagnostics.SafeText.Line($"muststaple-lint: error: {MustStaple.Diagnostics.SafeText.Escape(message, 2 * MustStaple.Diagnostics.SafeText.MaxPathLength)}"));
        return 2;
    }

    // MST0006: the run could not complete. One line, the rule's code, exit 2.
    internal static int Failure(string message)
    {
        Console.Error.WriteLine(MustStaple.Diagnostics.SafeText.Line($"muststaple-lint: error {MustStaple.Rules.LintFailure.Id}: {message}"));
        return 2;
    }

    internal static string[] Ids(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();

    // A bare --warnaserror must not swallow the next PATH: it takes a value only when that value looks like rule IDs.
    internal static string[] NormalizeWarnAsError(string[] args)
    {
        var result = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            var bare = args[i] == "--warnaserror"
                && (i + 1 >= args.Length || !Regex.IsMatch(args[i + 1], @"^\s*MST\d{4}(\s*[,;]\s*MST\d{4})*\s*$", RegexOptions.IgnoreCase));
            result.Add(bare ? "--warnaserror=*" : args[i]);
        }
        return result.ToArray();
    }
}

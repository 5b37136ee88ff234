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
        if (CliLanguage.Apply(args, Environment.GetEnvironmentVariable) is { } badLanguage) return Usage(badLanguage);
        if (args.Length > 0 && args[0] == "probe") return ProbeCommand.Run(args.Skip(1).ToArray());
        if (args.Length > 0 && args[0] == "explain") return Explain.Run(CliLanguage.Strip(args.Skip(1).ToArray()), Console.Out);
        if (FastArguments.TryParse(args) is { } simple) return Lint(simple);
        return RunParser(args);
    }

    // Kept apart from Run: compiling Run must not load System.CommandLine when FastArguments has read the line.
    private static int RunParser(string[] args)
    {
        var paths = new Argument<string[]>("PATH") { Arity = ArgumentArity.ZeroOrMore, Description = CliText.Get("Lint.Path") };
        var now = new Option<string?>("--now") { Description = CliText.Get("Lint.Now"), HelpName = "DATE" };
        var include = new Option<string[]>("--include") { Description = CliText.Get("Lint.Include"), HelpName = "GLOB", AllowMultipleArgumentsPerToken = false };
        var exclude = new Option<string[]>("--exclude") { Description = CliText.Get("Lint.Exclude"), HelpName = "GLOB" };
        var noWarn = new Option<string[]>("--nowarn") { Description = CliText.Get("Lint.NoWarn"), HelpName = "IDS" };
        var warnAsError = new Option<string[]>("--warnaserror")
        {
            Description = CliText.Get("Lint.WarnAsError"),
            HelpName = "IDS",
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var environment = new Option<string?>("--environment") { Description = CliText.Get("Lint.Environment"), HelpName = "NAME" };
        var targetOs = new Option<string?>("--target-os") { Description = CliText.Get("Lint.TargetOs"), HelpName = "OS" };
        targetOs.AcceptOnlyFromAmong("linux", "windows", "osx");
        var sarif = new Option<FileInfo?>("--sarif") { Description = CliText.Get("Lint.Sarif"), HelpName = "FILE" };
        var format = new Option<string?>("--format") { Description = CliText.Get("Lint.Format"), HelpName = "FORMAT" };
        format.AcceptOnlyFromAmong("text", "github", "json", "azure", "gitlab");
        var gitlabReport = new Option<FileInfo?>("--gitlab-report") { Description = CliText.Get("Lint.GitLabReport"), HelpName = "FILE" };
        var pfxPasswordEnv = new Option<string?>("--pfx-password-env") { Description = CliText.Get("Lint.PfxPasswordEnv"), HelpName = "NAME" };
        var lang = Lang(); // read before parsing (CliLanguage); declared so that help lists it

        var root = new RootCommand(CliText.Get("Lint.Root"))
        {
            paths, environment, targetOs, sarif, format, gitlabReport, now, include, exclude, noWarn, warnAsError, pfxPasswordEnv, lang,
        };

        if (CliUsage.UnknownOption(args, root) is { } unknown) return Usage(unknown);
        var parse = root.Parse(NormalizeWarnAsError(args));
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) Console.Error.WriteLine(CliText.Get("Usage.ParseError", e.Message));
            Console.Error.WriteLine(CliText.Get("Usage.RunHelp"));
            return 2;
        }

        root.SetAction(result => Lint(new LintArguments
        {
            Paths = result.GetValue(paths),
            Now = result.GetValue(now),
            PfxPasswordEnv = result.GetValue(pfxPasswordEnv),
            WarnAsErrorGiven = result.GetResult(warnAsError) is not null,
            WarnAsError = result.GetValue(warnAsError),
            Environment = result.GetValue(environment),
            TargetOs = result.GetValue(targetOs),
            Include = result.GetValue(include),
            Exclude = result.GetValue(exclude),
            NoWarn = result.GetValue(noWarn),
            Format = result.GetValue(format),
            Sarif = result.GetValue(sarif),
            GitLabReport = result.GetValue(gitlabReport),
        }));

        var exit = parse.Invoke();
        if (exit == 0 && CliUsage.AskedForHelp(args)) Console.Out.WriteLine(CliText.Get("Help.Examples"));
        return exit;
    }

    /// <summary>The values of a lint command line, parsed by System.CommandLine or by <see cref="FastArguments"/>.</summary>
    internal sealed class LintArguments
    {
        public string[]? Paths { get; init; }
        public string? Now { get; init; }
        public string? PfxPasswordEnv { get; init; }
        public bool WarnAsErrorGiven { get; init; }
        public string[]? WarnAsError { get; init; }
        public string? Environment { get; init; }
        public string? TargetOs { get; init; }
        public string[]? Include { get; init; }
        public string[]? Exclude { get; init; }
        public string[]? NoWarn { get; init; }
        public string? Format { get; init; }
        public FileInfo? Sarif { get; init; }
        public FileInfo? GitLabReport { get; init; }
    }

    private static int Lint(LintArguments a)
    {
        var targets = a.Paths is { Length: > 0 } p ? p : ["."];
        foreach (var t in targets.Where(t => !File.Exists(t) && !Directory.Exists(t)))
            return Usage(CliText.Get("Usage.PathMissing", t));

        var instant = DateTimeOffset.UtcNow;
        if (a.Now is { } nowText && !DateTimeOffset.TryParse(nowText, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant))
            return Usage(CliText.Get("Usage.NowNotDate", nowText));

        var passwords = new List<string>();
        if (a.PfxPasswordEnv is { } envName)
        {
            if (Environment.GetEnvironmentVariable(envName) is not { } pw) return Usage(CliText.Get("Usage.PfxEnvNotSet", envName));
            passwords.Add(pw);
        }
        passwords.AddRange(MustStaple.Kestrel.PasswordSources.KestrelVariables(Environment.GetEnvironmentVariables()));

        var asErrors = a.WarnAsErrorGiven;
        var asErrorIds = Ids(a.WarnAsError).Where(id => id != "*").ToArray();
        var request = new LintRequest
        {
            Paths = targets,
            Now = instant,
            Environment = a.Environment,
            TargetPlatform = MustStaple.Kestrel.TargetPlatformText.ParseOs(a.TargetOs),
            Include = a.Include ?? [],
            Exclude = a.Exclude ?? [],
            NoWarn = Ids(a.NoWarn),
            TreatWarningsAsErrors = asErrors && asErrorIds.Length == 0,
            WarningsAsErrors = asErrorIds,
            PfxPasswords = MustStaple.Kestrel.PasswordSources.Combine(passwords),
            Culture = CultureInfo.CurrentUICulture,
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
        return CliOutput.Emit(lint, a.Format, a.Sarif, category, "File", a.GitLabReport);
    }

    internal static int Usage(string message)
    {
        Console.Error.WriteLine(MustStaple.Diagnostics.SafeText.Line(CliText.Get("Usage.Error", MustStaple.Diagnostics.SafeText.Escape(message, 2 * MustStaple.Diagnostics.SafeText.MaxPathLength))));
        return 2;
    }

    // MST0006: the run could not complete. One line, the rule's code, exit 2.
    internal static int Failure(string message)
    {
        Console.Error.WriteLine(MustStaple.Diagnostics.SafeText.Line(CliText.Get("Usage.Failure", MustStaple.Rules.LintFailure.Id, message)));
        return 2;
    }

    // --lang en|ja: applied before parsing by CliLanguage (so that parse errors and help are in that language).
    internal static Option<string?> Lang()
    {
        var lang = new Option<string?>("--lang") { Description = CliText.Get("Lint.Lang"), HelpName = "LANG" };
        lang.AcceptOnlyFromAmong(CliLanguage.Values);
        return lang;
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

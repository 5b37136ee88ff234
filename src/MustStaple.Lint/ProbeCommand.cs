using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using MustStaple.Probe;

namespace MustStaple.Lint;

/// <summary>
/// <c>dotnet muststaple-lint probe TARGET…</c>: handshakes with running servers, asking for the staple, judged as Firefox
/// and GnuTLS judge it. Same outputs and exit codes as the lint; exit 2 also when no target could be probed at all.
/// </summary>
internal static class ProbeCommand
{
    /// <summary>The largest --trust file read (a bundle of every public root is ~250 KB).</summary>
    private const int MaxTrustFile = 4 * 1024 * 1024;

    public static int Run(string[] args)
    {
        var targets = new Argument<string[]>("TARGET") { Arity = ArgumentArity.OneOrMore, Description = CliText.Get("Probe.Target") };
        var sni = new Option<string?>("--sni") { Description = CliText.Get("Probe.Sni"), HelpName = "NAME" };
        var connectTo = new Option<string?>("--connect-to") { Description = CliText.Get("Probe.ConnectTo"), HelpName = "HOST:PORT" };
        var handshakes = new Option<int>("--handshakes") { Description = CliText.Get("Probe.Handshakes"), HelpName = "N", DefaultValueFactory = _ => 3 };
        var timeout = new Option<string?>("--timeout") { Description = CliText.Get("Probe.Timeout"), HelpName = "DURATION" };
        var trust = new Option<string[]>("--trust") { Description = CliText.Get("Probe.Trust"), HelpName = "FILE" };
        var minValidity = new Option<string?>("--min-staple-validity") { Description = CliText.Get("Probe.MinValidity"), HelpName = "DURATION" };
        var tls = new Option<string?>("--tls-version") { Description = CliText.Get("Probe.TlsVersion"), HelpName = "VERSION" };
        tls.AcceptOnlyFromAmong("1.2", "1.3");
        var now = new Option<string?>("--now") { Description = CliText.Get("Probe.Now"), HelpName = "DATE" };
        var sarif = new Option<FileInfo?>("--sarif") { Description = CliText.Get("Probe.Sarif"), HelpName = "FILE" };
        var format = new Option<string?>("--format") { Description = CliText.Get("Probe.Format"), HelpName = "FORMAT" };
        format.AcceptOnlyFromAmong("text", "github", "json");
        var noWarn = new Option<string[]>("--nowarn") { Description = CliText.Get("Probe.NoWarn"), HelpName = "IDS" };
        var warnAsError = new Option<string[]>("--warnaserror") { Description = CliText.Get("Probe.WarnAsError"), HelpName = "IDS", Arity = ArgumentArity.ZeroOrMore, AllowMultipleArgumentsPerToken = false };

        var lang = Cli.Lang();
        var root = new RootCommand(CliText.Get("Probe.Root"))
        {
            targets, sni, connectTo, handshakes, timeout, trust, minValidity, tls, now, sarif, format, noWarn, warnAsError, lang,
        };
        if (CliUsage.UnknownOption(args, root) is { } unknown) return Cli.Usage(unknown.Replace("muststaple-lint --help'", "muststaple-lint probe --help'"));
        var parse = root.Parse(Cli.NormalizeWarnAsError(args));
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) Console.Error.WriteLine(CliText.Get("Probe.ParseError", MustStaple.Diagnostics.SafeText.Escape(e.Message)));
            Console.Error.WriteLine(CliText.Get("Probe.RunHelp"));
            return 2;
        }

        root.SetAction(result =>
        {
            var count = result.GetValue(handshakes);
            if (count is < 1 or > 20) return Cli.Usage(CliText.Get("Probe.Handshakes.Range", count));
            if (Duration(result.GetValue(timeout) ?? "10s") is not { } perHandshake || perHandshake <= TimeSpan.Zero || perHandshake > TimeSpan.FromMinutes(5))
                return Cli.Usage(CliText.Get("Probe.Timeout.Invalid", result.GetValue(timeout)));
            if (Duration(result.GetValue(minValidity) ?? "1h") is not { } margin)
                return Cli.Usage(CliText.Get("Probe.MinValidity.Invalid", result.GetValue(minValidity)));
            var instant = DateTimeOffset.UtcNow;
            if (result.GetValue(now) is { } nowText && !DateTimeOffset.TryParse(nowText, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant))
                return Cli.Usage(CliText.Get("Usage.NowNotDate", nowText));
            var parsed = new List<ProbeTarget>();
            foreach (var text in result.GetValue(targets) ?? [])
            {
                if (ProbeTarget.Parse(text, result.GetValue(sni), result.GetValue(connectTo), out var error) is not { } target) return Cli.Usage(error!);
                if (parsed.All(p => p.Url != target.Url)) parsed.Add(target);
            }
            var trustFiles = new List<byte[]>();
            foreach (var file in result.GetValue(trust) ?? [])
            {
                var info = new FileInfo(file);
                if (!info.Exists) return Cli.Usage(CliText.Get("Probe.Trust.Missing", file));
                if (info.Length > MaxTrustFile) return Cli.Usage(CliText.Get("Probe.Trust.TooLarge", file, MaxTrustFile / (1024 * 1024)));
                trustFiles.Add(File.ReadAllBytes(info.FullName));
            }

            var asErrorIds = Cli.Ids(result.GetValue(warnAsError)).Where(id => id != "*").ToArray();
            var request = new ProbeRequest
            {
                Targets = parsed,
                Now = instant,
                Handshakes = count,
                Timeout = perHandshake,
                TrustFiles = trustFiles,
                MinStapleValidity = margin,
                Versions = result.GetValue(tls) switch { "1.2" => ProbeTlsVersions.Tls12, "1.3" => ProbeTlsVersions.Tls13, _ => ProbeTlsVersions.Both },
                NoWarn = Cli.Ids(result.GetValue(noWarn)),
                TreatWarningsAsErrors = result.GetResult(warnAsError) is not null && asErrorIds.Length == 0,
                WarningsAsErrors = asErrorIds,
            };
            LintResult lint;
            try
            {
                lint = ProbeEngine.Run(request);
            }
#pragma warning disable CA1031 // the last line of defence: whatever escapes the engine is one line and exit 2, never a stack trace
            catch (Exception ex)
#pragma warning restore CA1031
            {
                return Cli.Failure(MustStaple.Rules.LintFailure.Describe(ex));
            }
            var exit = CliOutput.Emit(lint, result.GetValue(format), result.GetValue(sarif), "probe", "Endpoint");
            return lint.FilesRead == 0 && exit != 2 ? 2 : exit; // the findings say why no target could be probed
        });

        var code = parse.Invoke();
        if (code == 0 && CliUsage.AskedForHelp(args)) Console.Out.WriteLine(CliText.Get("Probe.Examples"));
        return code;
    }

    /// <summary>"10s", "500ms", "1.5min", "2h", "1d" or a plain number of seconds; null when it is none of them.</summary>
    internal static TimeSpan? Duration(string text)
    {
        var m = Regex.Match(text.Trim(), @"^(\d+(?:\.\d+)?)\s*(ms|s|min|m|h|d)?$", RegexOptions.CultureInvariant);
        if (!m.Success || !double.TryParse(m.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n)) return null;
        var seconds = m.Groups[2].Value switch { "ms" => n / 1000, "min" or "m" => n * 60, "h" => n * 3600, "d" => n * 86400, _ => n };
        return seconds > TimeSpan.MaxValue.TotalSeconds / 2 ? null : TimeSpan.FromSeconds(seconds);
    }
}

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

    public const string Examples = """

        Examples:
          dotnet muststaple-lint probe shop.example.com                 Three handshakes with shop.example.com:443.
          dotnet muststaple-lint probe https://shop.example.com:8443/ --sarif probe.sarif
          dotnet muststaple-lint probe shop.example.com --connect-to 10.0.0.5:443   Probe a staging address under its real name.
          dotnet muststaple-lint probe a.example b.example --format json

        Exit codes:
          0  no error-level finding
          1  at least one error-level finding (including an endpoint that could not be probed)
          2  bad usage, or no target could be probed at all

        """;

    public static int Run(string[] args)
    {
        var targets = new Argument<string[]>("TARGET") { Arity = ArgumentArity.OneOrMore, Description = "host, host:port or https:// URL (port 443 by default). Several are probed in parallel." };
        var sni = new Option<string?>("--sni") { Description = "Send this server name (SNI) instead of the target's host.", HelpName = "NAME" };
        var connectTo = new Option<string?>("--connect-to") { Description = "Connect to this address instead of resolving the target (e.g. a staging IP or 127.0.0.1:8443); the target's name is still sent and reported.", HelpName = "HOST:PORT" };
        var handshakes = new Option<int>("--handshakes") { Description = "Handshakes per target, each on a new connection (default 3; 1 to 20).", HelpName = "N", DefaultValueFactory = _ => 3 };
        var timeout = new Option<string?>("--timeout") { Description = "Most time one handshake may take, e.g. 10s (default), 500ms, 1min.", HelpName = "DURATION" };
        var trust = new Option<string[]>("--trust") { Description = "PEM or DER file of extra CA certificates (a private PKI) that may issue the leaf or sign its staple. Repeatable.", HelpName = "FILE" };
        var minValidity = new Option<string?>("--min-staple-validity") { Description = "Warn (MST6004) when the staple's nextUpdate is closer than this, e.g. 1h (default), 1d, 30min.", HelpName = "DURATION" };
        var tls = new Option<string?>("--tls-version") { Description = "Offer only this TLS version: 1.2 or 1.3 (default: both, 1.3 preferred, as browsers do).", HelpName = "VERSION" };
        tls.AcceptOnlyFromAmong("1.2", "1.3");
        var now = new Option<string?>("--now") { Description = "Judge staples and certificates at this instant (ISO 8601) instead of the current time.", HelpName = "DATE" };
        var sarif = new Option<FileInfo?>("--sarif") { Description = "Also write a SARIF 2.1.0 log to FILE (category 'probe'; each finding is located at the endpoint's https URL).", HelpName = "FILE" };
        var format = new Option<string?>("--format") { Description = "Output format: text, github or json (as the lint).", HelpName = "FORMAT" };
        format.AcceptOnlyFromAmong("text", "github", "json");
        var noWarn = new Option<string[]>("--nowarn") { Description = "Suppress these rule IDs (comma- or semicolon-separated, repeatable).", HelpName = "IDS" };
        var warnAsError = new Option<string[]>("--warnaserror") { Description = "Treat warnings as errors: all of them, or only the listed IDs.", HelpName = "IDS", Arity = ArgumentArity.ZeroOrMore, AllowMultipleArgumentsPerToken = false };

        var root = new RootCommand("probe: handshakes with running servers, asking for the OCSP staple, judged as Firefox and GnuTLS judge it.")
        {
            targets, sni, connectTo, handshakes, timeout, trust, minValidity, tls, now, sarif, format, noWarn, warnAsError,
        };
        if (CliUsage.UnknownOption(args, root) is { } unknown) return Cli.Usage(unknown.Replace("--help' for usage", "probe --help' for usage"));
        var parse = root.Parse(Cli.NormalizeWarnAsError(args));
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) Console.Error.WriteLine($"muststaple-lint probe: error: {MustStaple.Diagnostics.SafeText.Escape(e.Message)}");
            Console.Error.WriteLine("Run 'dotnet muststaple-lint probe --help' for usage.");
            return 2;
        }

        root.SetAction(result =>
        {
            var count = result.GetValue(handshakes);
            if (count is < 1 or > 20) return Cli.Usage($"--handshakes {count} is not between 1 and 20");
            if (Duration(result.GetValue(timeout) ?? "10s") is not { } perHandshake || perHandshake <= TimeSpan.Zero || perHandshake > TimeSpan.FromMinutes(5))
                return Cli.Usage($"--timeout '{result.GetValue(timeout)}' is not a duration up to 5 min (e.g. 10s, 500ms)");
            if (Duration(result.GetValue(minValidity) ?? "1h") is not { } margin)
                return Cli.Usage($"--min-staple-validity '{result.GetValue(minValidity)}' is not a duration (e.g. 1h, 1d, 30min)");
            var instant = DateTimeOffset.UtcNow;
            if (result.GetValue(now) is { } nowText && !DateTimeOffset.TryParse(nowText, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant))
                return Cli.Usage($"--now '{nowText}' is not a date (use ISO 8601, e.g. 2026-01-01T00:00:00Z)");
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
                if (!info.Exists) return Cli.Usage($"--trust '{file}' does not exist");
                if (info.Length > MaxTrustFile) return Cli.Usage($"--trust '{file}' is larger than {MaxTrustFile / (1024 * 1024)} MB");
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
            var exit = CliOutput.Emit(lint, result.GetValue(format), result.GetValue(sarif), "probe", "endpoint", "probed");
            return lint.FilesRead == 0 && exit != 2 ? 2 : exit; // the findings say why no target could be probed
        });

        var code = parse.Invoke();
        if (code == 0 && CliUsage.AskedForHelp(args)) Console.Out.WriteLine(Examples);
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

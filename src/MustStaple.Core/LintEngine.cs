using MustStaple.Acme;
using MustStaple.Certificates;
using MustStaple.Diagnostics;
using MustStaple.Discovery;
using MustStaple.Hosting;
using MustStaple.Kestrel;
using MustStaple.Localization;
using MustStaple.Rules;
using MustStaple.Servers;

namespace MustStaple;

/// <summary>The one entry point both fronts call: discover, read, evaluate every rule, apply severities, sort.</summary>
public static class LintEngine
{
    /// <summary>Runs the lint. Never throws for file content; unreadable inputs become <c>MST0xxx</c> findings.</summary>
    public static LintResult Run(LintRequest request)
    {
        var assets = AssetDiscovery.Discover(request.Paths, request.Include, request.Exclude);
        var sourceRoot = request.SourceRoot ?? assets.SourceRoot;
        // One work budget per run, reached by every reader through the input reader (inputs.Budget).
        var inputs = new InputReader(sourceRoot, request.Budget ?? new WorkBudget(request.Limits));
        foreach (var p in assets.Problems) inputs.Report(p.Location.Path, p.RuleId, p.Text);
        // Only PKCS#12 files need the configuration (for their passwords): read every other certificate file while the
        // configuration is read, then the PKCS#12 files and whatever the configuration references outside the walk.
        // Server configurations are small and read first: the staple files they name are OCSP responses, not certificates.
        // The hosting layer first: every server reader resolves container paths through it.
        var containerFiles = new ContainerFileCache(sourceRoot, inputs.Read, inputs.Budget);
        // Past the run's budget the hosting layer is empty (the readers have reported on their files): today's verdicts stand.
        var hosting = ReadBoundary.Guard(sourceRoot, "container files", () => HostingReader.Read(assets, containerFiles), _ => HostingModel.Empty);
        var servers = ServerConfigReader.Read(assets, sourceRoot, inputs.Read, inputs.Budget, hosting);
        var stapleFiles = new HashSet<string>(ServerConfigReader.StapleFiles(servers), StringComparer.Ordinal);
        var discovered = assets.OfKind(AssetKind.Certificate).Select(a => a.Path).Where(p => !stapleFiles.Contains(p))
            .Distinct(StringComparer.Ordinal).ToArray();
        var early = discovered.Where(p => !CertificateLoader.NeedsPassword(p)).ToArray();
        var earlyFiles = new CertificateFile[early.Length];
        IReadOnlyList<Deployment> deployments = [];
        IReadOnlyList<AcmeRequest> acme = [];
        Parallel.Invoke(
            () => acme = AcmeReader.Read(assets, servers, sourceRoot, inputs.Read, inputs.Budget,
                fault => inputs.Report(fault.Location.Path, RuleIds.UnreadableInput, Texts.Input.Text("CouldNotBeRead", Path.GetFileName(fault.Location.Path), fault.Text))),
            () => deployments = DeploymentReader.Read(assets, new DeploymentHints
            {
                Environment = request.Environment,
                TargetPlatform = request.TargetPlatform,
                ProjectProperties = request.ProjectProperties,
            }, containerFiles),
            () => Parallel.For(0, early.Length, i => earlyFiles[i] = CertificateLoader.Load(early[i], [], sourceRoot, inputs.Budget)));

        var passwords = deployments.SelectMany(d => d.CertificateSections)
            .Where(s => s.ResolvedPath is not null && s.Password?.Value is { Length: > 0 })
            .GroupBy(s => s.ResolvedPath!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(s => s.Password!.Value!).Distinct().ToArray(), StringComparer.Ordinal);
        var done = new HashSet<string>(early, StringComparer.Ordinal);
        // Referenced files are read only where they really lie inside the source root (never through a link out of it).
        var late = discovered.Where(p => !done.Contains(p))
            .Concat(deployments.SelectMany(d => d.CertificateSections).Select(s => s.ResolvedPath)
                .Concat(deployments.SelectMany(d => d.AddedTrustFiles))
                .Concat(ServerConfigReader.CertificateFiles(servers))
                .OfType<string>().Where(p => !done.Contains(p) && InputFile.IsUnderRoot(p, sourceRoot) && File.Exists(p)))
            .Distinct(StringComparer.Ordinal).ToArray();
        var lateFiles = new CertificateFile[late.Length];
        Parallel.For(0, late.Length, i => lateFiles[i] = CertificateLoader.Load(late[i],
            passwords.TryGetValue(late[i], out var own) ? own.Concat(request.PfxPasswords) : request.PfxPasswords, sourceRoot, inputs.Budget));
        CodePasswords.RetryLocked(lateFiles, assets.OfKind(AssetKind.CSharpSource).Select(a => a.Path), sourceRoot, inputs.Budget);
        var files = earlyFiles.Concat(lateFiles).OrderBy(f => f.Path, StringComparer.Ordinal).ToArray();
        // Kubernetes TLS Secrets are certificates like any file, located at their manifest line (never listed as input files).
        var secretFiles = hosting.Kubernetes.TlsSecrets.Where(s => s.Certificate is not null || s.Problem is not null)
            .Select(s => s.Certificate is { } crt
                ? EmbeddedCertificates.Read(LintContext.SecretKey(s)!, crt, s.Location, Texts.Input.Text("SecretTlsCrt", s.Name))
                : new CertificateFile { Path = LintContext.SecretKey(s)!, Certificates = [], Requests = [], Problems = [new LoadProblem(RuleIds.UnreadableInput, s.Location, s.Problem!)] })
            .ToArray();
        var analyzerConfig = AnalyzerConfig.Load(sourceRoot, assets.OfKind(AssetKind.AnalyzerConfig)
            .Where(a => Path.GetFileName(a.Path).Equals(".globalconfig", StringComparison.OrdinalIgnoreCase)).Select(a => a.Path)
            .Concat(new[] { Path.Combine(sourceRoot, ".globalconfig") }.Where(File.Exists)).Distinct(StringComparer.Ordinal), inputs);
        // Every .editorconfig the findings could consult is read now, so its problems are reported in this run.
        foreach (var a in assets.OfKind(AssetKind.AnalyzerConfig)) analyzerConfig.Preload(a.Path);
        var context = new LintContext(request.Now, [.. files, .. secretFiles], RetiredResponderList.Shipped, deployments, sourceRoot, request.PublishedFiles,
            inputs.Problems, servers, hosting, acme) { Front = request.Front, Culture = request.Culture ?? System.Globalization.CultureInfo.CurrentUICulture };
        // A Kestrel endpoint only a proxy or an Ingress reaches: its stapling verdicts become notes naming the front.
        ClientReach.AssignFronts(deployments, hosting, servers, inputs.Read);
        // The list of input files (for the build's stamp) is sorted on the other core while the rules run: both only read.
        var inputFilesTask = Task.Run(() => LintResultFacts.InputFiles(assets.All.Select(a => a.Path).Concat(files.Select(f => f.Path))
            .Concat(deployments.SelectMany(d => d.CertificateSections).Select(s => s.ResolvedPath).OfType<string>())
            .Concat(deployments.SelectMany(d => d.AddedTrustFiles)), sourceRoot));
        var diagnostics = Judge(context, RuleSet.All, new SeverityPolicy(request.SeverityOverrides, request, analyzerConfig), ClientReach.NotesByLocation(context.AllServers));
        var rules = RuleSet.All.Select(r => r.Rule).OrderBy(r => r.Id, StringComparer.Ordinal).ToArray();
        var inputFiles = inputFilesTask.GetAwaiter().GetResult();
        return new LintResult(diagnostics, rules, sourceRoot, assets.All.Count - assets.OfKind(AssetKind.CSharpSource).Count() - assets.OfKind(AssetKind.ScriptCandidate).Count() + files.Length - discovered.Length,
            inputFiles, LintResultFacts.ValidUntil(request.Now, files, RetiredResponderList.Shipped)) { Culture = context.Culture };
    }

    /// <summary>
    /// Every finding of <paramref name="rules"/> at its effective severity, sorted, without duplicates; a stapling verdict at a
    /// location of <paramref name="notes"/> becomes that note (the endpoint no client reaches directly).
    /// </summary>
    internal static List<Diagnostic> Judge(LintContext context, IEnumerable<IRule> rules, SeverityPolicy policy,
        IReadOnlyDictionary<SourceLocation, Localization.LocalizedText>? notes = null)
    {
        var diagnostics = new List<Diagnostic>();
        foreach (var rule in rules)
        {
            foreach (var d in RuleBoundary.Evaluate(rule, context))
            {
                var severity = policy.Apply(d);
                if (severity == Severity.None) continue;
                var judged = ClientReach.IsStaplingVerdict(d) && notes is not null && notes.TryGetValue(d.Location, out var note) ? d.AsNote(note) : d.WithSeverity(severity);
                diagnostics.Add(judged.InCulture(context.Culture));
            }
        }
        diagnostics.Sort(Diagnostic.Compare);
        return Deduplicate(diagnostics);
    }

    private static List<Diagnostic> Deduplicate(List<Diagnostic> sorted)
    {
        var result = new List<Diagnostic>(sorted.Count);
        foreach (var d in sorted)
            if (result.Count == 0 || Diagnostic.Compare(result[result.Count - 1], d) != 0) result.Add(d);
        return result;
    }
}

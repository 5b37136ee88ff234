namespace MustStaple.Lint;

/// <summary>Writes a result the way both commands (the lint and <c>probe</c>) do: SARIF, then json, gitlab, github, azure or text. Exit 0/1/2.</summary>
internal static class CliOutput
{
    /// <summary>
    /// Writes <paramref name="lint"/> in <paramref name="format"/> (default: the CI the tool runs in, else text) and the
    /// SARIF log with <paramref name="category"/>; the summary counts <paramref name="unit"/>s (<c>File</c> or <c>Endpoint</c>).
    /// </summary>
    public static int Emit(LintResult lint, string? format, FileInfo? sarif, string category, string unit, FileInfo? gitlabReport = null)
    {
        var cwd = Directory.GetCurrentDirectory();
        var chosen = format ?? (gitlabReport is not null ? "gitlab" : CiFormat());
        if (sarif is not null)
        {
            var bytes = MustStaple.Sarif.SarifWriter.Write(lint, new MustStaple.Sarif.SarifOptions
            {
                Category = category,
                RepositoryUri = Environment.GetEnvironmentVariable("GITHUB_SERVER_URL") is { Length: > 0 } server && Environment.GetEnvironmentVariable("GITHUB_REPOSITORY") is { Length: > 0 } repo ? $"{server.TrimEnd('/')}/{repo}" : null,
                RevisionId = Environment.GetEnvironmentVariable("GITHUB_SHA"),
                Branch = Environment.GetEnvironmentVariable("GITHUB_REF"),
            });
            if (MustStaple.Sarif.OutputFile.WriteIfChanged(sarif.FullName, bytes) is { } problem)
                return Cli.Failure(MustStaple.Rules.LintFailure.Describe("--sarif: " + problem));
        }
        if (chosen == "json")
        {
            JsonSink.Write(lint, Console.Out);
            return lint.ErrorCount > 0 ? 1 : 0;
        }
        if (chosen == "gitlab")
        {
            var report = gitlabReport?.FullName ?? Path.Combine(cwd, "gl-code-quality-report.json");
            if (MustStaple.Sarif.OutputFile.WriteIfChanged(report, GitLabSink.Write(lint)) is { } problem)
                return Cli.Failure(MustStaple.Rules.LintFailure.Describe("--gitlab-report: " + problem));
        }
        if (chosen == "github")
            GitHubSink.Write(lint, Console.Out, Environment.GetEnvironmentVariable("GITHUB_WORKSPACE") is { Length: > 0 } workspace ? Path.GetFullPath(workspace) : lint.SourceRoot);
        if (chosen == "azure")
        {
            // Paths relative to the checkout (BUILD_SOURCESDIRECTORY), as the agent resolves sourcepath; the lines below
            // are neutralised as well, since the agent reads a logging command anywhere in a line.
            AzureSink.Write(lint, Console.Out, Environment.GetEnvironmentVariable("BUILD_SOURCESDIRECTORY") is { Length: > 0 } sources ? Path.GetFullPath(sources) : lint.SourceRoot);
            var lines = new StringWriter();
            ConsoleSink.Write(lint, lines, cwd, unit);
            Console.Out.Write(AzureSink.Neutralize(lines.ToString()));
            return lint.ErrorCount > 0 ? 1 : 0;
        }
        ConsoleSink.Write(lint, Console.Out, cwd, unit);
        return lint.ErrorCount > 0 ? 1 : 0;
    }

    // The CI the tool runs in picks the format: GitHub Actions, Azure Pipelines (TF_BUILD=True), GitLab CI.
    private static string CiFormat() =>
        Environment.GetEnvironmentVariable("GITHUB_ACTIONS") == "true" ? "github"
        : string.Equals(Environment.GetEnvironmentVariable("TF_BUILD"), "true", StringComparison.OrdinalIgnoreCase) ? "azure"
        : Environment.GetEnvironmentVariable("GITLAB_CI") == "true" ? "gitlab"
        : "text";
}

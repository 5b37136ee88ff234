namespace MustStaple.Lint;

/// <summary>Writes a result the way both commands (the lint and <c>probe</c>) do: SARIF, then json, github or text. Exit 0/1/2.</summary>
internal static class CliOutput
{
    /// <summary>
    /// Writes <paramref name="lint"/> in <paramref name="format"/> (default: github under GitHub Actions, else text) and the
    /// SARIF log with <paramref name="category"/>; the summary counts "N <paramref name="unit"/>s <paramref name="verb"/>".
    /// </summary>
    public static int Emit(LintResult lint, string? format, FileInfo? sarif, string category, string unit, string verb)
    {
        var chosen = format ?? (Environment.GetEnvironmentVariable("GITHUB_ACTIONS") == "true" ? "github" : "text");
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
        if (chosen == "github")
            GitHubSink.Write(lint, Console.Out, Environment.GetEnvironmentVariable("GITHUB_WORKSPACE") is { Length: > 0 } workspace ? Path.GetFullPath(workspace) : lint.SourceRoot);
        ConsoleSink.Write(lint, Console.Out, Directory.GetCurrentDirectory(), unit, verb);
        return lint.ErrorCount > 0 ? 1 : 0;
    }
}

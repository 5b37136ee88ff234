using System.Reflection;

namespace MustStaple.Diagnostics;

/// <summary>
/// The one place that turns a rule ID into a documentation link. The link exists only when the build stamped the
/// repository URL into the assembly (<c>dotnet pack -p:RepositoryUrl=…</c>, or Source Link's value in CI;
/// build/Repository.targets); no URL is invented. Without one, <see cref="Command"/> is the help every front offers:
/// the rule pages are embedded (<see cref="MustStaple.Sarif.RuleDocs"/>).
/// </summary>
public static class HelpLinks
{
    private static readonly string? RepositoryUrl = Metadata("RepositoryUrl")?.TrimEnd('/');
    private static readonly string RepositoryRef = Metadata("RepositoryRef") ?? "main";

    /// <summary>The tool's repository (SARIF <c>informationUri</c>), or null when the build did not stamp it.</summary>
    public static string? Repository => RepositoryUrl;

    /// <summary>The link for <paramref name="id"/>, or null.</summary>
    public static string? For(string id) =>
        RepositoryUrl is null ? null : $"{RepositoryUrl}/blob/{RepositoryRef}/docs/rules/{id}.md";

    /// <summary>The command that prints the page of <paramref name="id"/>.</summary>
    public static string Command(string id) => $"dotnet muststaple-lint explain {id}";

    private static string? Metadata(string key) => typeof(HelpLinks).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == key)?.Value is { Length: > 0 } value ? value : null;
}

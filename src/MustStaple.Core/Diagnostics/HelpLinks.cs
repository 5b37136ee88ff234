using System.Reflection;

namespace MustStaple.Diagnostics;

/// <summary>
/// The one place that turns a rule ID into a documentation link. The link exists only when the
/// build stamped the repository URL into the assembly (<c>RepositoryUrl</c>); no URL is invented.
/// </summary>
public static class HelpLinks
{
    private static readonly string? RepositoryUrl = typeof(HelpLinks).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "RepositoryUrl")?.Value is { Length: > 0 } url
            ? url.TrimEnd('/')
            : null;

    /// <summary>The tool's repository (SARIF <c>informationUri</c>), or null when the build did not stamp it.</summary>
    public static string? Repository => RepositoryUrl;

    /// <summary>The link for <paramref name="id"/>, or null.</summary>
    public static string? For(string id) =>
        RepositoryUrl is null ? null : $"{RepositoryUrl}/blob/main/docs/rules/{id}.md";
}

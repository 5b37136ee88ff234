using System.Text.Json;
using System.Text.RegularExpressions;

namespace MustStaple.Kestrel;

/// <summary>
/// Where ASP.NET Core keeps PFX passwords outside appsettings: user secrets on the developer's machine and Kestrel's
/// own <c>…__Password</c> environment variables. Core reads no environment and no file outside the root itself: the
/// fronts hand it the variables and the secrets file's bytes. The values are only ever tried, never printed.
/// </summary>
public static class PasswordSources
{
    /// <summary>At most this many passwords are tried per run: each costs a key derivation per locked PFX.</summary>
    public const int MaxPasswords = 16;

    /// <summary>The user secrets file is read only up to this size (the SDK's are a few hundred bytes).</summary>
    public const int MaxSecretsBytes = 64 * 1024;

    private static readonly Regex KestrelPassword = new(@"^(ASPNETCORE_|DOTNET_)?Kestrel__\w*__Password$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex SecretsId = new(@"^[A-Za-z0-9_.-]{1,128}$", RegexOptions.CultureInvariant);

    /// <summary>Kestrel's own password variables (<c>Kestrel__Certificates__Default__Password</c>, endpoint and prefixed forms).</summary>
    public static IEnumerable<string> KestrelVariables(System.Collections.IDictionary environment) =>
        environment.Keys.OfType<string>().Where(k => KestrelPassword.IsMatch(k)).OrderBy(k => k, StringComparer.Ordinal)
            .Select(k => environment[k] as string).OfType<string>().Where(v => v.Length > 0);

    /// <summary>
    /// The SDK's user secrets file for <paramref name="userSecretsId"/>
    /// (<c>%APPDATA%\Microsoft\UserSecrets\&lt;id&gt;\secrets.json</c>, elsewhere <c>~/.microsoft/usersecrets/&lt;id&gt;/secrets.json</c>),
    /// or null when the ID is not a plain name (a project file cannot steer the read elsewhere).
    /// </summary>
    public static string? UserSecretsFile(string? userSecretsId, string? appData, string? home)
    {
        if (userSecretsId is null || !SecretsId.IsMatch(userSecretsId) || userSecretsId.Contains("..")) return null;
        if (!string.IsNullOrEmpty(appData) && Path.DirectorySeparatorChar == '\\') return Path.Combine(appData, "Microsoft", "UserSecrets", userSecretsId, "secrets.json");
        return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".microsoft", "usersecrets", userSecretsId, "secrets.json");
    }

    /// <summary>Every string value whose key ends in <c>Password</c> (flat <c>Kestrel:…:Password</c> keys or nested objects).</summary>
    public static IReadOnlyList<string> FromUserSecrets(byte[] json)
    {
        var found = new List<string>();
        if (json.Length > MaxSecretsBytes) return found;
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 16 });
            var pending = new Stack<(string Key, JsonElement Value)>();
            pending.Push(("", doc.RootElement));
            while (pending.Count > 0 && found.Count < MaxPasswords)
            {
                var (key, value) = pending.Pop();
                if (value.ValueKind == JsonValueKind.Object)
                    foreach (var p in value.EnumerateObject()) pending.Push((p.Name, p.Value));
                else if (value.ValueKind == JsonValueKind.String && (key.EndsWith(":Password", StringComparison.OrdinalIgnoreCase) || key.Equals("Password", StringComparison.OrdinalIgnoreCase))
                    && value.GetString() is { Length: > 0 } pw)
                    found.Add(pw);
            }
        }
        catch (JsonException)
        {
            // A secrets file the app could not read either: nothing to try.
        }
        return found;
    }

    /// <summary>Distinct, capped at <see cref="MaxPasswords"/>, in the order given.</summary>
    public static IReadOnlyList<string> Combine(IEnumerable<string> passwords) =>
        passwords.Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).Take(MaxPasswords).ToArray();
}

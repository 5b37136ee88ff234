namespace MustStaple.Discovery;

/// <summary>What a discovered file is read as.</summary>
public enum AssetKind
{
    /// <summary>PEM, DER, PKCS#12, PKCS#10 or OpenSSL config.</summary>
    Certificate,

    /// <summary><c>appsettings.json</c> or <c>appsettings.{Environment}.json</c>.</summary>
    AppSettings,

    /// <summary>A Dockerfile.</summary>
    Dockerfile,

    /// <summary>A Docker Compose file.</summary>
    Compose,

    /// <summary>An MSBuild project file.</summary>
    Project,

    /// <summary>A publish profile.</summary>
    PublishProfile,

    /// <summary><c>.editorconfig</c> or <c>.globalconfig</c>.</summary>
    AnalyzerConfig,

    /// <summary>Any other YAML file: read only if it is a Kubernetes workload manifest.</summary>
    Manifest,
}

/// <summary>Classifies file names; the default set of inputs.</summary>
public static class AssetClassifier
{
    private static readonly HashSet<string> CertificateExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".pem", ".crt", ".cer", ".der", ".pfx", ".p12", ".csr", ".req", ".cnf",
    };

    /// <summary>The kind of a file by its name, or null when the lint ignores it.</summary>
    public static AssetKind? Classify(string fileName)
    {
        var ext = Path.GetExtension(fileName);
        if (CertificateExtensions.Contains(ext)) return AssetKind.Certificate;
        if (ext.Equals(".json", StringComparison.OrdinalIgnoreCase)
            && fileName.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase)) return AssetKind.AppSettings;
        if (fileName.Equals("Dockerfile", StringComparison.OrdinalIgnoreCase)
            || fileName.StartsWith("Dockerfile.", StringComparison.OrdinalIgnoreCase)
            || ext.Equals(".dockerfile", StringComparison.OrdinalIgnoreCase)) return AssetKind.Dockerfile;
        if ((ext.Equals(".yml", StringComparison.OrdinalIgnoreCase) || ext.Equals(".yaml", StringComparison.OrdinalIgnoreCase))
            && (fileName.StartsWith("docker-compose", StringComparison.OrdinalIgnoreCase)
                || fileName.StartsWith("compose", StringComparison.OrdinalIgnoreCase))) return AssetKind.Compose;
        if (ext.Equals(".yml", StringComparison.OrdinalIgnoreCase) || ext.Equals(".yaml", StringComparison.OrdinalIgnoreCase)) return AssetKind.Manifest;
        if (ext.Equals(".csproj", StringComparison.OrdinalIgnoreCase) || ext.Equals(".fsproj", StringComparison.OrdinalIgnoreCase)
            || ext.Equals(".vbproj", StringComparison.OrdinalIgnoreCase)) return AssetKind.Project;
        if (ext.Equals(".pubxml", StringComparison.OrdinalIgnoreCase)) return AssetKind.PublishProfile;
        if (fileName.Equals(".editorconfig", StringComparison.OrdinalIgnoreCase)
            || fileName.Equals(".globalconfig", StringComparison.OrdinalIgnoreCase)) return AssetKind.AnalyzerConfig;
        return null;
    }
}

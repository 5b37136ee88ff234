namespace MustStaple.Kestrel;

/// <summary>The operating system Kestrel will run on.</summary>
public enum TargetPlatform
{
    /// <summary>No signal, or signals that disagree.</summary>
    Unknown,

    /// <summary>Linux: stapling works when the chain completes and the OCSP URL is http.</summary>
    Linux,

    /// <summary>Windows: .NET has no server-side stapling.</summary>
    Windows,

    /// <summary>macOS: no stapling code at all.</summary>
    MacOS,
}

/// <summary>Parses platform names and runtime identifiers.</summary>
public static class TargetPlatformText
{
    /// <summary><c>linux|windows|osx</c> (also <c>macos</c>, <c>win</c>) → platform; null when not recognised.</summary>
    public static TargetPlatform? ParseOs(string? text) => text?.Trim().ToUpperInvariant() switch
    {
        "LINUX" => TargetPlatform.Linux,
        "WINDOWS" or "WIN" => TargetPlatform.Windows,
        "OSX" or "MACOS" => TargetPlatform.MacOS,
        _ => null,
    };

    /// <summary>A runtime identifier (<c>linux-x64</c>, <c>linux-musl-arm64</c>, <c>win-x64</c>, <c>osx-arm64</c>) → platform.</summary>
    public static TargetPlatform? FromRid(string rid)
    {
        var r = rid.Trim().ToUpperInvariant();
        if (r.StartsWith("LINUX", StringComparison.Ordinal) || r.StartsWith("ALPINE", StringComparison.Ordinal)
            || r.StartsWith("UBUNTU", StringComparison.Ordinal) || r.StartsWith("DEBIAN", StringComparison.Ordinal)
            || r.StartsWith("RHEL", StringComparison.Ordinal)) return TargetPlatform.Linux;
        if (r.StartsWith("WIN", StringComparison.Ordinal)) return TargetPlatform.Windows;
        if (r.StartsWith("OSX", StringComparison.Ordinal) || r.StartsWith("MACOS", StringComparison.Ordinal)) return TargetPlatform.MacOS;
        return null;
    }

    /// <summary>A container image reference → platform (Windows only for nanoserver / windowsservercore tags).</summary>
    public static TargetPlatform? FromImage(string image)
    {
        var i = image.ToUpperInvariant();
        if (i.Contains("NANOSERVER") || i.Contains("WINDOWSSERVERCORE") || i.Contains("SERVERCORE")) return TargetPlatform.Windows;
        if (i.Contains("DOTNET/") || i.Contains("DEBIAN") || i.Contains("UBUNTU") || i.Contains("ALPINE")
            || i.Contains("AZURELINUX") || i.Contains("CBL-MARINER") || i.Contains("CHISELED")) return TargetPlatform.Linux;
        return null; // an unknown image: its OS is not evident from the name
    }

    /// <summary>Lower-case name for messages.</summary>
    public static string Name(TargetPlatform p) => p switch
    {
        TargetPlatform.Linux => "Linux",
        TargetPlatform.Windows => "Windows",
        TargetPlatform.MacOS => "macOS",
        _ => "unknown",
    };
}

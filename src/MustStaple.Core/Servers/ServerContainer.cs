using MustStaple.Diagnostics;
using MustStaple.Hosting;

namespace MustStaple.Servers;

/// <summary>
/// The container a server configuration runs in: the hosted service whose files hold it, and where its root file is
/// inside. Every server reader resolves container paths through it (issue 19) instead of fixed prefixes.
/// </summary>
internal sealed class ServerContainer
{
    public ServerContainer(HostedService service, string hostFile, string containerFile)
    {
        Service = service;
        HostFolder = Path.GetDirectoryName(hostFile)!;
        ContainerFile = containerFile;
        ContainerFolder = ContainerFolderOf(containerFile);
    }

    /// <summary>
    /// The container a configuration file of <paramref name="kind"/> runs in: a service that holds it and runs that
    /// server's image, else one that holds it where that server reads its configuration (a folder of its
    /// <see cref="ServerLayout"/>); null when no container holds it so (an app image that copies the whole repository
    /// does not run the proxy).
    /// </summary>
    public static ServerContainer? For(ServerKind kind, string path, HostingModel hosting)
    {
        var layout = ServerLayout.Of(kind);
        var all = hosting.LocateAll(path).ToList();
        var found = all.Where(x => layout.RunsIn(x.Service.Image))
            .Concat(all.Where(x => layout.ConfigFolderOf(x.ContainerPath) is not null))
            .Select(x => ((HostedService, string)?)x).FirstOrDefault();
        return found is var (service, containerPath) ? new ServerContainer(service, path, containerPath) : null;
    }

    public HostedService Service { get; }

    /// <summary>The root configuration file's container path.</summary>
    public string ContainerFile { get; }

    private string HostFolder { get; }

    private string ContainerFolder { get; }

    /// <summary>The container folder a repository folder near the configuration is (its folder, a parent or a child), else null.</summary>
    public string? ToContainer(string hostFolder)
    {
        if (SourcePaths.RelativeTo(hostFolder, HostFolder) is { } below)
            return ContainerPaths.Combine(ContainerFolder, below.Replace('\\', '/'));
        var up = ContainerFolder;
        for (var host = HostFolder; host is not null; host = Path.GetDirectoryName(host))
        {
            if (string.Equals(host, hostFolder, StringComparison.Ordinal)) return up;
            if (up == "/") return null;
            up = ContainerFolderOf(up);
        }
        return null;
    }

    /// <summary>The service for messages, e.g. <c>compose service 'proxy'</c>.</summary>
    public string Name => Service.Name;

    private static string ContainerFolderOf(string path)
    {
        var slash = path.TrimEnd('/').LastIndexOf('/');
        return slash <= 0 ? "/" : path.Substring(0, slash);
    }
}

using System.Globalization;
using System.Net;

namespace MustStaple.Probe;

/// <summary>
/// One endpoint to probe: the name a browser would use (<c>host[:port]</c> or an <c>https://</c> URL, port 443 by default),
/// the name sent as SNI, and the address actually connected to (<c>--connect-to</c>). Findings are located at <see cref="Url"/>.
/// </summary>
public sealed class ProbeTarget
{
    private ProbeTarget(string host, int port, string? sni, string connectHost, int connectPort)
    {
        Host = host;
        Port = port;
        ServerName = sni ?? (IPAddress.TryParse(host.Trim('[', ']'), out _) ? null : host);
        ConnectHost = connectHost;
        ConnectPort = connectPort;
        Url = "https://" + host + (port == 443 ? "" : ":" + port.ToString(CultureInfo.InvariantCulture)) + "/";
    }

    /// <summary>The host as a browser names it (IPv6 literals in brackets).</summary>
    public string Host { get; }

    /// <summary>The port as a browser uses it.</summary>
    public int Port { get; }

    /// <summary>The SNI host name sent; null for an IP literal without <c>--sni</c> (no SNI, as browsers do).</summary>
    public string? ServerName { get; }

    /// <summary>The host or address the TCP connection goes to.</summary>
    public string ConnectHost { get; }

    /// <summary>The port the TCP connection goes to.</summary>
    public int ConnectPort { get; }

    /// <summary>The endpoint's URL, <c>https://host[:port]/</c>: the location of every finding about it.</summary>
    public string Url { get; }

    /// <summary>"host:port", and the address connected to when it differs.</summary>
    public string Display => ConnectHost == Host.Trim('[', ']') && ConnectPort == Port
        ? $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}"
        : $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)} via {ConnectHost}:{ConnectPort.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Parses <paramref name="text"/> (<c>host</c>, <c>host:port</c>, <c>[v6]:port</c> or <c>https://host[:port][/path]</c>);
    /// <paramref name="sni"/> overrides the SNI name and <paramref name="connectTo"/> (<c>HOST:PORT</c>) the address.
    /// Null with <paramref name="error"/> set when it is not a usable target.
    /// </summary>
    public static ProbeTarget? Parse(string text, string? sni, string? connectTo, out string? error)
    {
        error = null;
        var trimmed = text.Trim();
        if (trimmed.Length == 0 || trimmed.Length > 2048)
        {
            error = "a target is empty or too long";
            return null;
        }
        var withScheme = trimmed.Contains("://") ? trimmed : "https://" + trimmed;
        if (!Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            error = $"target '{trimmed}' is not host[:port] or an https:// URL";
            return null;
        }
        if (uri.Scheme != Uri.UriSchemeHttps)
        {
            error = $"target '{trimmed}' is not https:// (the probe speaks TLS)";
            return null;
        }
        if (uri.UserInfo.Length > 0)
        {
            error = $"target '{trimmed}' carries user information; give host[:port] only";
            return null;
        }
        var ipv6 = uri.HostNameType == UriHostNameType.IPv6;
        var host = ipv6 ? "[" + uri.DnsSafeHost + "]" : uri.IdnHost.ToLowerInvariant();
        var connectHost = ipv6 ? uri.DnsSafeHost : host;
        var connectPort = uri.Port;
        if (connectTo is not null)
        {
            var colon = connectTo.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(connectTo.Remove(0, colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out connectPort)
                || connectPort is < 1 or > 65535)
            {
                error = $"--connect-to '{connectTo}' is not HOST:PORT";
                return null;
            }
            connectHost = connectTo.Substring(0, colon).Trim('[', ']');
        }
        if (sni is not null && (sni.Length == 0 || sni.Length > 253 || sni.Any(c => c <= ' ' || c >= 0x7F)))
        {
            error = $"--sni '{sni}' is not a host name";
            return null;
        }
        return new ProbeTarget(host, uri.Port, sni, connectHost, connectPort);
    }
}

using MustStaple.Localization;
using System.Globalization;
using System.Net.Sockets;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace MustStaple.Probe;

/// <summary>What one handshake showed: the protocol, the served chain (DER, leaf first) and the stapled OCSP response.</summary>
public sealed class HandshakeObservation
{
    /// <summary>1 for the first handshake with the endpoint.</summary>
    public required int Number { get; init; }

    /// <summary><c>TLSv1.3</c> or <c>TLSv1.2</c>; null when the handshake failed before the server chose.</summary>
    public string? Version { get; init; }

    /// <summary>The certificates the server sent, leaf first (DER).</summary>
    public IReadOnlyList<byte[]> Chain { get; init; } = [];

    /// <summary>The DER OCSP response the server stapled, or null when it stapled none.</summary>
    public byte[]? Staple { get; init; }

    /// <summary>Why the handshake did not complete (one line), or null.</summary>
    public LocalizedText? Failure { get; init; }
}

/// <summary>
/// One TLS handshake as a browser makes it, with BouncyCastle's TLS client: SNI, <c>status_request</c> (OCSP) in the
/// ClientHello, TLS 1.3 and 1.2. Nothing is verified here (the probe judges afterwards) and nothing is sent after the
/// handshake. Bounded: the whole exchange is cut at the timeout, whatever the server does.
/// </summary>
internal static class TlsHandshake
{
    /// <summary>The most certificates of a chain kept (real chains have 2–4).</summary>
    public const int MaxChain = 10;

    public static HandshakeObservation Run(ProbeTarget target, int number, TimeSpan timeout, ProbeTlsVersions versions)
    {
        using var tcp = new TcpClient();
        // The deadline closes the socket, which ends any blocking read or write of the handshake.
        using var deadline = new Timer(_ => tcp.Close(), null, timeout, Timeout.InfiniteTimeSpan);
        var client = new ProbeClient(target.ServerName, versions);
        try
        {
            var connect = tcp.ConnectAsync(target.ConnectHost, target.ConnectPort);
            if (!connect.Wait(timeout)) return Failed(number, Text("Tls.NoTcp", target.ConnectHost, Port(target), Seconds(timeout)));
            var ms = (int)Math.Min(int.MaxValue, timeout.TotalMilliseconds);
            tcp.ReceiveTimeout = ms;
            tcp.SendTimeout = ms;
            var protocol = new TlsClientProtocol(tcp.GetStream());
            try
            {
                protocol.Connect(client);
            }
            catch (TlsFatalAlert alert) when (client.Chain.Count > 0 && alert.AlertDescription == AlertDescription.certificate_unknown
                && alert.Message?.IndexOf("TLS Feature", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                // BouncyCastle enforces must-staple as Firefox does; the probe wants the observation, not the refusal.
            }
            finally
            {
                protocol.Close();
            }
            return new HandshakeObservation { Number = number, Version = client.Version, Chain = client.Chain, Staple = client.Staple };
        }
        catch (AggregateException ex) when (ex.InnerException is SocketException se)
        {
            return Failed(number, Text("Tls.CannotConnect", target.ConnectHost, Port(target), SocketError(se)));
        }
        catch (SocketException se)
        {
            return Failed(number, Text("Tls.CannotConnect", target.ConnectHost, Port(target), SocketError(se)));
        }
        catch (TlsFatalAlertReceived alert)
        {
            return Failed(number, Text("Tls.Refused", AlertDescription.GetText(alert.AlertDescription)));
        }
        catch (TlsFatalAlert alert)
        {
            return Failed(number, Text("Tls.Failed", AlertDescription.GetText(alert.AlertDescription), alert.Message));
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or TlsException)
        {
            return Failed(number, client.Version is null && client.Chain.Count == 0
                ? Text("Tls.Timeout", Seconds(timeout), ex.GetType().Name)
                : Text("Tls.Ended", ex.GetType().Name));
        }
#pragma warning disable CA1031 // what a server sends is untrusted: whatever the TLS client throws on it is this endpoint's failure, not the run's
        catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            return Failed(number, Text("Tls.Unreadable", ex.GetType().Name));
        }
    }

    private static string Port(ProbeTarget t) => t.ConnectPort.ToString(CultureInfo.InvariantCulture);

    private static LocalizedText Seconds(TimeSpan t) => Texts.Rules.Text("Duration.Seconds", t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture));

    private static object SocketError(SocketException se) => se.SocketErrorCode switch
    {
        System.Net.Sockets.SocketError.ConnectionRefused => Text("Tls.Socket.Refused"),
        System.Net.Sockets.SocketError.HostNotFound or System.Net.Sockets.SocketError.NoData => Text("Tls.Socket.HostNotFound"),
        System.Net.Sockets.SocketError.TimedOut => Text("Tls.Socket.TimedOut"),
        System.Net.Sockets.SocketError.NetworkUnreachable or System.Net.Sockets.SocketError.HostUnreachable => Text("Tls.Socket.Unreachable"),
        var other => other.ToString(),
    };

    private static LocalizedText Text(string key, params object?[] args) => Texts.Probe.Text(key, args);

    private static HandshakeObservation Failed(int number, LocalizedText why) => new() { Number = number, Failure = why };

    private sealed class ProbeClient(string? serverName, ProbeTlsVersions versions) : DefaultTlsClient(new BcTlsCrypto(new SecureRandom()))
    {
        public List<byte[]> Chain { get; } = [];

        public byte[]? Staple { get; set; }

        public string? Version { get; private set; }

        protected override ProtocolVersion[] GetSupportedVersions() => versions switch
        {
            ProbeTlsVersions.Tls12 => ProtocolVersion.TLSv12.Only(),
            ProbeTlsVersions.Tls13 => ProtocolVersion.TLSv13.Only(),
            _ => ProtocolVersion.TLSv13.DownTo(ProtocolVersion.TLSv12),
        };

        protected override IList<ServerName>? GetSniServerNames() =>
            serverName is null ? null : [new ServerName(NameType.host_name, System.Text.Encoding.ASCII.GetBytes(serverName))];

        protected override CertificateStatusRequest GetCertificateStatusRequest() =>
            new(CertificateStatusType.ocsp, new OcspStatusRequest(null, null));

        public override void NotifyServerVersion(ProtocolVersion serverVersion)
        {
            base.NotifyServerVersion(serverVersion);
            Version = serverVersion.IsEqualOrLaterVersionOf(ProtocolVersion.TLSv13) ? "TLSv1.3" : serverVersion.Name.Replace("TLS ", "TLSv");
        }

        // BouncyCastle refuses a must-staple certificate when status_request is missing from the server's extensions, before
        // the certificate reaches the observer; and TLS 1.3 never echoes it there (the staple travels in the leaf's
        // CertificateEntry). The probe wants to see every certificate, so it marks the extension as answered: in TLS 1.2
        // that only allows the optional CertificateStatus message, whose arrival is what counts as a staple.
        public override void ProcessServerExtensions(IDictionary<int, byte[]> serverExtensions)
        {
            base.ProcessServerExtensions(serverExtensions);
            if (serverExtensions is not null && !serverExtensions.ContainsKey(ExtensionType.status_request))
                serverExtensions[ExtensionType.status_request] = [];
        }

        public override TlsAuthentication GetAuthentication() => new Observer(this);

        private sealed class Observer(ProbeClient client) : TlsAuthentication
        {
            public void NotifyServerCertificate(TlsServerCertificate serverCertificate)
            {
                var certificate = serverCertificate.Certificate;
                for (var i = 0; i < Math.Min(certificate.Length, MaxChain); i++) client.Chain.Add(certificate.GetCertificateAt(i).GetEncoded());
                // TLS 1.2 carries the staple in a CertificateStatus message; TLS 1.3 in the leaf's CertificateEntry extension.
                var status = serverCertificate.CertificateStatus ?? Tls13Status(client, certificate);
                if (status?.StatusType == CertificateStatusType.ocsp) client.Staple = status.OcspResponse.GetEncoded();
            }

            public TlsCredentials? GetClientCredentials(CertificateRequest certificateRequest) => null;

            private static CertificateStatus? Tls13Status(ProbeClient client, Certificate certificate)
            {
                if (certificate.Length == 0 || certificate.GetCertificateEntryList()[0].Extensions is not { } extensions) return null;
                if (!extensions.TryGetValue(ExtensionType.status_request, out var data) || data is null) return null;
                using var stream = new MemoryStream(data, writable: false);
                return CertificateStatus.Parse(client.m_context, stream);
            }
        }
    }
}

/// <summary>The TLS versions the probe offers.</summary>
[Flags]
public enum ProbeTlsVersions
{
    /// <summary>TLS 1.2 only.</summary>
    Tls12 = 1,

    /// <summary>TLS 1.3 only.</summary>
    Tls13 = 2,

    /// <summary>Both, 1.3 preferred (what browsers offer).</summary>
    Both = Tls12 | Tls13,
}

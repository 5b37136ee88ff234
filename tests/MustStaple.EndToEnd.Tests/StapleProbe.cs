using System.Net.Sockets;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace MustStaple.EndToEnd.Tests;

/// <summary>
/// A TLS 1.2 client (BouncyCastle) that sends status_request and SNI 'localhost', and reports whether a staple came back.
/// It enforces must-staple as Firefox and GnuTLS do: a must-staple server certificate without a staple fails the handshake.
/// </summary>
internal static class StapleProbe
{
    /// <summary>One handshake: true when the server sent a CertificateStatus (OCSP staple).</summary>
    public static bool Handshake(int port)
    {
        using var tcp = new TcpClient();
        tcp.ReceiveTimeout = 5000;
        tcp.SendTimeout = 5000;
        if (!tcp.ConnectAsync("127.0.0.1", port).Wait(TimeSpan.FromSeconds(5))) throw new TimeoutException("connect timed out");
        var client = new Client();
        var protocol = new TlsClientProtocol(tcp.GetStream());
        try
        {
            protocol.Connect(client);
        }
        catch (TlsFatalAlert alert) when (alert.AlertDescription == AlertDescription.certificate_unknown && alert.Message.Contains("TLS Feature", StringComparison.Ordinal))
        {
            // BouncyCastle enforces must-staple like GnuTLS and Firefox: the server did not staple, the handshake is refused.
            return false;
        }
        finally
        {
            protocol.Close();
        }
        return client.Stapled;
    }

    /// <summary>Handshakes until a staple arrives or <paramref name="attempts"/> run out (Kestrel fetches in the background).</summary>
    public static (bool Stapled, int Handshakes) Poll(int port, int attempts = 20, int delayMs = 250)
    {
        for (var i = 1; i <= attempts; i++)
        {
            if (Handshake(port)) return (true, i);
            Thread.Sleep(delayMs);
        }
        return (false, attempts);
    }

    private sealed class Client() : DefaultTlsClient(new BcTlsCrypto(new SecureRandom()))
    {
        public bool Stapled { get; set; }

        protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.TLSv12.Only();

        protected override IList<ServerName> GetSniServerNames() => [new ServerName(NameType.host_name, "localhost"u8.ToArray())];

        protected override CertificateStatusRequest GetCertificateStatusRequest() =>
            new(CertificateStatusType.ocsp, new OcspStatusRequest(null, null));

        public override TlsAuthentication GetAuthentication() => new Auth(this);
    }

    private sealed class Auth(Client client) : TlsAuthentication
    {
        public void NotifyServerCertificate(TlsServerCertificate serverCertificate) =>
            client.Stapled = serverCertificate.CertificateStatus is not null;

        public TlsCredentials? GetClientCredentials(CertificateRequest certificateRequest) => null;
    }
}

using System.Net;
using System.Net.Sockets;
using MustStaple.Probe;
using MustStaple.Rules;
using MustStaple.Testing;

namespace MustStaple.Core.Tests.Probe;

/// <summary>What a server sends is untrusted: a server that is no TLS server, or never answers, is one MST6005 line, bounded in time.</summary>
[TestClass]
public sealed class ProbeHostileServerTests
{
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    [DataRow("http")]
    [DataRow("garbage")]
    [DataRow("silent")]
    public void NotATlsServer_IsOneMst6005Line_AndTheRunEnds(string kind)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = new Thread(() => Serve(listener, kind)) { IsBackground = true };
        server.Start();

        var result = ProbeEngine.Run(new ProbeRequest
        {
            Targets = [ProbeTarget.Parse("evil.example:" + port, null, "127.0.0.1:" + port, out _)!],
            Now = TestClock.Now,
            Handshakes = 2,
            Timeout = TimeSpan.FromSeconds(1),
        });

        var d = result.Diagnostics.Single();
        Assert.AreEqual(RuleIds.ProbeFailed, d.Id);
        Assert.AreEqual($"https://evil.example:{port}/", d.Location.Path);
        StringAssert.Contains(d.Message, "(no handshake completed)");
        Assert.DoesNotContain("\n", d.Message);
        Assert.AreEqual(0, result.FilesRead);
    }

    private static void Serve(TcpListener listener, string kind)
    {
        try
        {
            while (true)
            {
                using var client = listener.AcceptTcpClient();
                var stream = client.GetStream();
                var buffer = new byte[4096];
                _ = stream.Read(buffer, 0, buffer.Length);
                if (kind == "http") stream.Write("HTTP/1.1 400 Bad Request\r\n::error::forged\r\n\r\n"u8);
                else if (kind == "garbage") stream.Write([0x16, 0x03, 0x03, 0xFF, 0xFF, 0x02, 0xFF, 0xFF, 0xFF, 0x00]);
                else Thread.Sleep(3000);
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }
}

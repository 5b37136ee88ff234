using MustStaple.Diagnostics;
using MustStaple.Testing;

namespace MustStaple.Core.Tests.Servers;

/// <summary>A repository with no .NET project: server configuration files and certificates from one private PKI.</summary>
internal sealed class ServerRepo : IDisposable
{
    public static readonly TestCertificate Root = new CertificateBuilder("Proxy Test Root").AsCa().Build();
    public static readonly TestCertificate Intermediate = new CertificateBuilder("Proxy Test Issuing CA").AsCa().IssuedBy(Root).Build();
    public static readonly TestCertificate Leaf = new CertificateBuilder("localhost").MustStaple().Ocsp("http://127.0.0.1:9/ocsp").IssuedBy(Intermediate).Build();
    public static readonly TestCertificate LeafWithCaIssuers = new CertificateBuilder("localhost").MustStaple().Ocsp("http://127.0.0.1:9/ocsp")
        .CaIssuers("http://127.0.0.1:9/int.cer").IssuedBy(Intermediate).Build();
    public static readonly TestCertificate Other = new CertificateBuilder("other").MustStaple().Ocsp("http://127.0.0.1:9/ocsp").IssuedBy(Intermediate).Build();
    public static readonly TestCertificate Plain = new CertificateBuilder("plain").Ocsp("http://127.0.0.1:9/ocsp").IssuedBy(Intermediate).Build();
    public static readonly TestCertificate Stranger = new CertificateBuilder("Unrelated Signer").AsCa().Build();

    public TestFolder Folder { get; } = new();

    public string Path(string relative) => System.IO.Path.Combine(Folder.Root, relative);

    public ServerRepo Pem(string name, params TestCertificate[] certs) { Folder.Write(name, TestCertificate.PemChain(certs)); return this; }

    public ServerRepo File(string name, string text) { Folder.Write(name, text); return this; }

    public ServerRepo File(string name, byte[] bytes) { Folder.Write(name, bytes); return this; }

    /// <summary>A staple file for <paramref name="leaf"/> valid around <see cref="TestClock.Now"/> unless told otherwise.</summary>
    public ServerRepo Staple(string name, TestCertificate leaf, TimeSpan? nextUpdateFromNow = null, TestCertificate? signer = null, bool revoked = false) =>
        File(name, OcspResponses.For(leaf, Intermediate, TestClock.Now.AddHours(-1), TestClock.Now + (nextUpdateFromNow ?? TimeSpan.FromDays(3)), signer, revoked));

    public LintResult Lint() => Folder.Lint();

    public IEnumerable<string> Lines(LintResult result) => TestFolder.Lines(result, Folder.Root);

    /// <summary>The findings of one rule.</summary>
    public static List<Diagnostic> Of(LintResult result, string id) => result.Diagnostics.Where(d => d.Id == id).ToList();

    /// <summary>The (line, column) of the first occurrence of <paramref name="needle"/> in a file.</summary>
    public (int Line, int Column) Find(string file, string needle)
    {
        var lines = System.IO.File.ReadAllLines(Path(file));
        for (var i = 0; i < lines.Length; i++)
        {
            var c = lines[i].IndexOf(needle, StringComparison.Ordinal);
            if (c >= 0) return (i + 1, c + 1);
        }
        throw new AssertFailedException($"'{needle}' not in {file}");
    }

    /// <summary>Asserts <paramref name="d"/> starts where <paramref name="needle"/> is in <paramref name="file"/>.</summary>
    public void AssertAt(Diagnostic d, string file, string needle)
    {
        var (line, column) = Find(file, needle);
        Assert.AreEqual(Path(file), d.Location.Path);
        Assert.AreEqual((line, column), (d.Location.Line, d.Location.Column), d.Message);
    }

    public void Dispose() => Folder.Dispose();

    /// <summary>A minimal nginx main configuration around one server block.</summary>
    public static string NginxMain(string server, string http = "") => $$"""
        events {}
        http {
        {{http}}
            server {
                listen 443 ssl;
                server_name localhost;
        {{server}}
            }
        }
        """;
}

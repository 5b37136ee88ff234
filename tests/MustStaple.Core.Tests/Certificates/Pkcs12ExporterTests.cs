using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MustStaple.Certificates;
using MustStaple.Testing;

namespace MustStaple.Core.Tests.Certificates;

/// <summary>
/// PKCS#12 files as Windows, .NET and NSS export them, read with the empty password as .NET's
/// <see cref="X509CertificateLoader.LoadPkcs12(byte[], string?, X509KeyStorageFlags, Pkcs12LoaderLimits?)"/> (the oracle) reads them.
/// </summary>
[TestClass]
public sealed class Pkcs12ExporterTests
{
    private static readonly TestCertificate Issuer = new CertificateBuilder("Exporter CA").AsCa().Build();
    private static readonly TestCertificate Leaf = new CertificateBuilder("exported.example").MustStaple().IssuedBy(Issuer).Build();
    private static readonly byte[] Salt = [1, 2, 3, 4, 5, 6, 7, 8];

    public static IEnumerable<object[]> Exporters =>
    [
        [Pkcs12Cipher.Rc2Of40, "windows"], [Pkcs12Cipher.TripleDes, "windows"], [Pkcs12Cipher.Aes256, "windows"],
        [Pkcs12Cipher.Rc2Of40, "openssl"], [Pkcs12Cipher.TripleDes, "openssl"], [Pkcs12Cipher.Aes256, "openssl"],
    ];

    [TestMethod]
    [DynamicData(nameof(Exporters))]
    public void EmptyPassword_EitherEncoding_OpensLikeDotNet(Pkcs12Cipher cipher, string encoding)
    {
        // arrange
        var bytes = Pkcs12Exporters.Export(Leaf, cipher, encoding == "windows" ? Pkcs12Exporters.WindowsEmpty : Pkcs12Exporters.OpenSslEmpty, Salt);
        Assert.AreEqual(Sha256(Leaf.Der), DotNetOpens(bytes), "the oracle opens it with the empty password");

        // act
        var file = CertificateLoader.Parse("/repo/exported.pfx", bytes, []);

        // assert
        Assert.IsFalse(file.IsLocked);
        Assert.IsEmpty(file.Problems);
        Assert.AreEqual(Sha256(Leaf.Der), file.Leaf?.Sha256);
        Assert.IsTrue(file.Leaf!.IsMustStaple);
    }

    [TestMethod]
    [DataRow(Pkcs12Cipher.Rc2Of40)]
    [DataRow(Pkcs12Cipher.TripleDes)]
    public void WindowsEmptyPassword_EverySalt_NoneCalledLocked(Pkcs12Cipher cipher)
    {
        // arrange: the wrong (zero-length) encoding, tried first, ends in valid padding for some salts (~1 in 256 for RC2 and 3DES)
        var files = Enumerable.Range(0, 256)
            .Select(i => Pkcs12Exporters.Export(Leaf, cipher, Pkcs12Exporters.WindowsEmpty, [(byte)i, (byte)(i * 7), 3, 4, 5, 6, 7, 8], iterations: 100))
            .ToList();
        var dotnetOpens = files.Count(f => DotNetOpens(f) is not null);

        // act
        var locked = files.Select(f => CertificateLoader.Parse("/repo/sweep.pfx", f, []))
            .Count(f => f.IsLocked || f.Problems.Count > 0 || f.Leaf?.IsMustStaple != true);

        // assert
        Assert.AreEqual(256, dotnetOpens);
        Assert.AreEqual(0, locked);
    }

    [TestMethod]
    [DataRow(Pkcs12Cipher.Rc2Of40)]
    [DataRow(Pkcs12Cipher.TripleDes)]
    [DataRow(Pkcs12Cipher.Aes256)]
    public void WrongPassword_EverySalt_NeverOpens(Pkcs12Cipher cipher)
    {
        // arrange: a wrong key ends in valid PKCS#7 padding for ~1 salt in 256; the parse after it must still refuse it
        var password = cipher == Pkcs12Cipher.Aes256 ? Encoding.UTF8.GetBytes("right") : [.. Encoding.BigEndianUnicode.GetBytes("right"), 0, 0];
        var files = Enumerable.Range(0, 256)
            .Select(i => Pkcs12Exporters.Export(Leaf, cipher, password, [(byte)i, (byte)(i * 13), 9, 8, 7, 6, 5, 4], iterations: 50))
            .ToList();

        // act
        var wrong = files.Select(f => CertificateLoader.Parse("/repo/sweep.pfx", f, ["wrong", ""])).ToList();
        var right = files.Select(f => CertificateLoader.Parse("/repo/sweep.pfx", f, ["wrong", "right"])).ToList();

        // assert
        Assert.AreEqual(256, wrong.Count(f => f.IsLocked && f.Leaf is null));
        Assert.AreEqual(256, right.Count(f => !f.IsLocked && f.Problems.Count == 0 && f.Leaf?.Sha256 == Sha256(Leaf.Der)));
    }

    [TestMethod]
    [DynamicData(nameof(Exporters))]
    public void IndefiniteLengthBer_OpensLikeDotNet(Pkcs12Cipher cipher, string encoding)
    {
        // arrange: NSS's pk12util and Java write BER with indefinite lengths and chunked OCTET STRINGs
        var password = encoding == "windows" ? Pkcs12Exporters.WindowsEmpty : Pkcs12Exporters.OpenSslEmpty;
        var der = Pkcs12Exporters.Export(Leaf, cipher, password, Salt);
        var ber = Pkcs12Exporters.Export(Leaf, cipher, password, Salt, ber: true);
        Assert.AreNotEqual(der.Length, ber.Length);
        Assert.AreEqual(Sha256(Leaf.Der), DotNetOpens(ber), "the oracle opens the BER form");

        // act
        var file = CertificateLoader.Parse("/repo/nss.p12", ber, []);

        // assert
        Assert.IsEmpty(file.Problems);
        Assert.AreEqual(Sha256(Leaf.Der), file.Leaf?.Sha256);
    }

    [TestMethod]
    [DataRow("Export(Pfx, null)")]
    [DataRow("Export(Pfx, \"\")")]
    [DataRow("ExportPkcs12(Pkcs12TripleDesSha1, \"\")")]
    [DataRow("ExportPkcs12(Pbes2Aes256Sha256, \"\")")]
    public void DotNetsOwnExports_WithTheEmptyPassword_Open(string exporter)
    {
        // arrange
        using var cert = X509Certificate2.CreateFromPem(Leaf.Pem, Leaf.KeyPem);
        var bytes = exporter switch
        {
            "Export(Pfx, null)" => cert.Export(X509ContentType.Pfx, (string?)null),
            "Export(Pfx, \"\")" => cert.Export(X509ContentType.Pfx, ""),
            "ExportPkcs12(Pkcs12TripleDesSha1, \"\")" => cert.ExportPkcs12(Pkcs12ExportPbeParameters.Pkcs12TripleDesSha1, ""),
            _ => cert.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, ""),
        };
        Assert.AreEqual(Sha256(Leaf.Der), DotNetOpens(bytes));

        // act
        var file = CertificateLoader.Parse("/repo/dotnet.pfx", bytes, []);

        // assert
        Assert.IsEmpty(file.Problems, exporter);
        Assert.IsTrue(file.Leaf?.IsMustStaple, exporter);
    }

    // The oracle: the leaf's SHA-256 when .NET opens the file with the empty password and with none, as Kestrel would.
    private static string? DotNetOpens(byte[] pfx)
    {
        try
        {
            using var empty = X509CertificateLoader.LoadPkcs12(pfx, "");
            using var none = X509CertificateLoader.LoadPkcs12(pfx, null);
            Assert.AreEqual(empty.Thumbprint, none.Thumbprint);
            return Sha256(empty.RawData);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static string Sha256(byte[] der) => Convert.ToHexStringLower(SHA256.HashData(der));
}

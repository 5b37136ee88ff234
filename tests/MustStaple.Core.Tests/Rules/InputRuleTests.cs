using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MustStaple.Diagnostics;
using MustStaple.Testing;

namespace MustStaple.Core.Tests.Rules;

[TestClass]
public sealed class UnreadableInputTests
{
    private static readonly TestCertificate MustStapleLeaf = new CertificateBuilder("leaf").MustStaple().Build();

    [TestMethod]
    public void TruncatedPem_ReportsMst0001AndGoesOn()
    {
        using var dir = new TestFolder();
        var pem = MustStapleLeaf.Pem;
        var path = dir.Write("a-truncated.pem", pem.Substring(0, pem.Length / 2));
        dir.Write("b-good.pem", MustStapleLeaf.Pem);

        var result = dir.Lint();

        var d = Expect.Single(result, "MST0001");
        Expect.At(d, path, 1, 1, 1, 28);
        StringAssert.Contains(d.Message, "no matching END line");
        Assert.AreEqual(Severity.Warning, d.Severity);
        Expect.Single(result, "MST1001"); // the run went on to the next file
    }

    [TestMethod]
    public void BitFlippedPemBody_ReportsMst0001()
    {
        using var dir = new TestFolder();
        var lines = MustStapleLeaf.Pem.Split('\n');
        lines[3] = new string('A', lines[3].Length); // valid base64, broken DER
        dir.Write("flipped.pem", string.Join("\n", lines));

        StringAssert.Contains(Expect.Single(dir.Lint(), "MST0001").Message, "not a valid X.509 certificate");
    }

    [TestMethod]
    public void InvalidBase64_ReportsMst0001()
    {
        using var dir = new TestFolder();
        dir.Write("b64.pem", "-----BEGIN CERTIFICATE-----\n!!!notbase64***\n-----END CERTIFICATE-----\n");

        StringAssert.Contains(Expect.Single(dir.Lint(), "MST0001").Message, "not valid base64");
    }

    [TestMethod]
    public void GarbageDer_ReportsMst0001()
    {
        using var dir = new TestFolder();
        var path = dir.Write("garbage.der", [0x30, 0x82, 0xff, 0xff, 1, 2, 3]);

        var d = Expect.Single(dir.Lint(), "MST0001");
        Expect.At(d, path, 1, 1, 1, 1);
    }

    [TestMethod]
    public void ZeroByteFile_ReportsMst0001Empty()
    {
        using var dir = new TestFolder();
        dir.Write("empty.pem", []);

        StringAssert.Contains(Expect.Single(dir.Lint(), "MST0001").Message, "is empty (0 bytes)");
    }

    [TestMethod]
    public void BinaryFileNamedPem_ReportsMst0001()
    {
        using var dir = new TestFolder();
        dir.Write("binary.pem", Enumerable.Range(0, 512).Select(i => (byte)(i * 7)).ToArray());

        StringAssert.Contains(Expect.Single(dir.Lint(), "MST0001").Message, "no PEM block and is not DER either");
    }

    [TestMethod]
    [DataRow("vectors/SigGen.req")]
    [DataRow("notes/howto.csr")]
    [DataRow("docs/server.crt")]
    [DataRow("docs/root.cer")]
    public void TextFileUnderACertificateName_NeitherPemNorDer_IsSkipped(string name)
    {
        // arrange: NIST CAVP request files and notes: text, no PEM block, not DER
        using var dir = new TestFolder();
        dir.Write(name, "#  CAVS 11.0\n[mod = 2048]\n\nn = 00c9a1\u00e9\ne = 010001\nMsg = 5af283b1b76ab2a695d794c23b35ca7371fc779e92ebf589e304c7f923d8cf97\n");

        // act
        var result = dir.Lint();

        // assert
        Assert.IsEmpty(result.Diagnostics, string.Join("\n", result.Diagnostics.Select(d => d.Message)));
    }

    [TestMethod]
    [DataRow("binary.csr")]
    [DataRow("binary.crt")]
    public void BinaryGarbageUnderACertificateName_StillMst0001(string name)
    {
        using var dir = new TestFolder();
        dir.Write(name, Enumerable.Range(0, 512).Select(i => (byte)(i * 7)).ToArray());

        StringAssert.Contains(Expect.Single(dir.Lint(), "MST0001").Message, "neither PEM nor valid DER");
    }

    [TestMethod]
    public void DerCertificateNamedPem_IsReadAsDer()
    {
        using var dir = new TestFolder();
        dir.Write("really-der.pem", MustStapleLeaf.Der);

        Expect.Single(dir.Lint(), "MST1001");
    }

    [TestMethod]
    public void FileOver10MiB_ReportsMst0001WithoutReadingIt()
    {
        using var dir = new TestFolder();
        var path = Path.Combine(dir.Root, "huge.pem");
        using (var fs = File.Create(path)) fs.SetLength(CertificateLoaderLimits.Over10MiB);

        StringAssert.Contains(Expect.Single(dir.Lint(), "MST0001").Message, "larger than 10 MiB");
    }

    [TestMethod]
    public void Fifo_IsNotOpenedAndDoesNotHang()
    {
        if (OperatingSystem.IsWindows()) Assert.Inconclusive("mkfifo is POSIX-only");
        using var dir = new TestFolder();
        var fifo = Path.Combine(dir.Root, "pipe.pem");
        using (var p = System.Diagnostics.Process.Start("mkfifo", fifo)) p!.WaitForExit(5000);

        var d = Expect.Single(dir.Lint(), "MST0001"); // reading it would block forever

        Assert.AreEqual(fifo, d.Location.Path);
    }

    [TestMethod]
    public void UnreadableFile_ReportsMst0001()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName == "root") Assert.Inconclusive("root reads files regardless of mode");
        using var dir = new TestFolder();
        var path = dir.Write("secret.pem", MustStapleLeaf.Pem);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.None);

        StringAssert.Contains(Expect.Single(dir.Lint(), "MST0001").Message, "could not be read");
    }

    [TestMethod]
    public void SymlinkLoops_AreWalkedOnceAndReported()
    {
        if (OperatingSystem.IsWindows()) Assert.Inconclusive("symbolic links need privileges on Windows");
        using var dir = new TestFolder();
        dir.Write("sub/leaf.pem", MustStapleLeaf.Pem);
        Directory.CreateSymbolicLink(Path.Combine(dir.Root, "sub", "loop"), dir.Root);
        File.CreateSymbolicLink(Path.Combine(dir.Root, "a.pem"), Path.Combine(dir.Root, "b.pem"));
        File.CreateSymbolicLink(Path.Combine(dir.Root, "b.pem"), Path.Combine(dir.Root, "a.pem"));

        var result = dir.Lint();

        Assert.HasCount(1, result.Diagnostics.Where(d => d.Id == "MST1001"));
        Assert.HasCount(2, result.Diagnostics.Where(d => d.Id == "MST0001")); // a.pem and b.pem
    }

    [TestMethod]
    public void PrivateKeyOnlyPem_IsSilentAndNeverEchoed()
    {
        using var dir = new TestFolder();
        dir.Write("key.pem", MustStapleLeaf.KeyPem);

        Assert.IsEmpty(dir.Lint().Diagnostics);
    }
}

internal static class CertificateLoaderLimits
{
    public const long Over10MiB = (10 * 1024 * 1024) + 1;
}

[TestClass]
public sealed class PfxCannotBeOpenedTests
{
    private static readonly TestCertificate Root = new CertificateBuilder("Root").AsCa().Build();
    private static readonly TestCertificate Leaf = new CertificateBuilder("pfx.example").MustStaple().IssuedBy(Root).Build();

    [TestMethod]
    public void ServedPfx_WrongPassword_ReportsMst0002WithoutThePassword()
    {
        // arrange
        using var p = new Kestrel.WebProject().Pfx("site.pfx", "s3cr3t-Pa55", Leaf, Root)
            .Settings(Kestrel.WebProject.Endpoint("""{ "Path": "site.pfx", "Password": "wrong-in-config" }"""));

        // act
        var result = p.Lint(r => With(r, "not-it"));

        // assert
        var d = Expect.Single(result, "MST0002");
        Expect.At(d, p.Path("site.pfx"), 1, 1, 1, 1);
        Assert.DoesNotContain("s3cr3t", d.Message);
        Assert.DoesNotContain("not-it", d.Message);
        Assert.DoesNotContain("wrong-in-config", d.Message);
        Expect.None(result, "MST0005");
        Expect.None(result, "MST1001");
    }

    [TestMethod]
    public void UnservedPfx_WrongPassword_IsNotMst0002()
    {
        using var dir = new TestFolder();
        dir.Write("fixtures/client.pfx", Leaf.ToPfx("s3cr3t-Pa55", Root));

        Expect.None(dir.Lint(r => With(r, "not-it")), "MST0002");
    }

    [TestMethod]
    public void PasswordFromRequest_OpensAndLintsTheKeyEntry()
    {
        using var dir = new TestFolder();
        dir.Write("site.p12", Leaf.ToPfx("s3cr3t-Pa55", Root));

        var result = dir.Lint(r => With(r, "wrong", "s3cr3t-Pa55"));

        Expect.None(result, "MST0002");
        StringAssert.Contains(Expect.Single(result, "MST1001").Message, "'pfx.example'");
    }

    [TestMethod]
    public void EmptyPassword_IsTriedFirst()
    {
        using var dir = new TestFolder();
        dir.Write("site.pfx", Leaf.ToPfx("", Root));

        Expect.Single(dir.Lint(), "MST1001");
    }

    [TestMethod]
    public void DotNetAes256Pfx_Opens()
    {
        using var dir = new TestFolder();
        using var cert = X509CertificateLoader.LoadCertificate(Leaf.Der);
        using var key = ECDsa.Create();
        key.ImportFromPem(Leaf.KeyPem);
        using var withKey = cert.CopyWithPrivateKey(key);
        var pfx = withKey.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, "pw");
        dir.Write("aes.pfx", pfx);

        Expect.Single(dir.Lint(r => With(r, "pw")), "MST1001");
    }

    [TestMethod]
    public void GarbagePfx_ReportsMst0001NotMst0002()
    {
        using var dir = new TestFolder();
        dir.Write("junk.pfx", [0x30, 0x03, 0x02, 0x01, 0x03]);

        var result = dir.Lint();

        Expect.Single(result, "MST0001");
        Expect.None(result, "MST0002");
        Expect.None(result, "MST0005");
    }

    internal static LintRequest With(LintRequest r, params string[] passwords) =>
        new() { Paths = r.Paths, Now = r.Now, SourceRoot = r.SourceRoot, PfxPasswords = passwords };
}

[TestClass]
public sealed class UnservedPfxNotCheckedTests
{
    private static readonly TestCertificate Leaf = new CertificateBuilder("client.example").MustStaple().Build();

    [TestMethod]
    public void LockedPfxNothingServes_ReportsNoteMst0005AtTheFile()
    {
        // arrange: a web project serving a PEM, and a locked client certificate beside it
        using var p = new Kestrel.WebProject().Pem("site.pem", Kestrel.WebProject.Leaf, Kestrel.WebProject.Intermediate).File("site.key", "")
            .Pfx("fixtures/client.pfx", "s3cr3t-Pa55", Leaf)
            .Settings(Kestrel.WebProject.Endpoint("""{ "Path": "site.pem", "KeyPath": "site.key" }"""));

        // act
        var result = p.Lint(r => PfxCannotBeOpenedTests.With(r, "not-it"));

        // assert
        var d = Expect.Single(result, "MST0005");
        Expect.At(d, p.Path("fixtures/client.pfx"), 1, 1, 1, 1);
        Assert.AreEqual(Severity.Note, d.Severity);
        StringAssert.Contains(d.Message, "'client.pfx' was not checked");
        Assert.DoesNotContain("s3cr3t", d.Message);
        Assert.DoesNotContain("not-it", d.Message);
        Expect.None(result, "MST0002");
    }

    [TestMethod]
    public void UnservedPfxThatOpens_IsSilent()
    {
        using var dir = new TestFolder();
        dir.Write("fixtures/client.pfx", new CertificateBuilder("client.example").Build().ToPfx(""));

        Assert.IsEmpty(dir.Lint().Diagnostics);
    }

    [TestMethod]
    public void ServedLockedPfx_IsMst0002NotMst0005()
    {
        using var p = new Kestrel.WebProject().Pfx("site.pfx", "s3cr3t-Pa55", Leaf)
            .Settings(Kestrel.WebProject.Endpoint("""{ "Path": "site.pfx" }"""));

        var result = p.Lint();

        Expect.Single(result, "MST0002");
        Expect.None(result, "MST0005");
    }
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MustStaple.Certificates;
using MustStaple.Diagnostics;
using MustStaple.Testing;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace MustStaple.Core.Tests.Certificates;

/// <summary>
/// The plain-DER certificate reader is only a faster road to the same facts: wherever it answers, BouncyCastle (and .NET
/// after it) must answer the same, and where they disagree it must step aside.
/// </summary>
[TestClass]
public sealed class DerCertificateTests
{
    private static readonly SourceLocation At = new("/certs/x.der", 1, 1, 1, 1);
    private static readonly TestCertificate Root = new CertificateBuilder("Fast Root").AsCa().Build();
    private static readonly TestCertificate Leaf = new CertificateBuilder("fast.example").MustStaple().TlsFeatureCritical()
        .Ocsp("http://ocsp.example").Ocsp("https://ocsp2.example").CaIssuers("http://ca.example/r.cer").IssuedBy(Root).Build();

    public static IEnumerable<object[]> CommonCertificates =>
    [
        ["BouncyCastle EC leaf, must-staple, AIA", (Func<byte[]>)(() => Leaf.Der)],
        ["BouncyCastle EC CA", (Func<byte[]>)(() => Root.Der)],
        ["valid past 2049 (GeneralizedTime)", (Func<byte[]>)(() => new CertificateBuilder("far.example").Valid(new DateTimeOffset(1990, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2060, 6, 1, 12, 30, 45, TimeSpan.Zero)).IssuedBy(Root).Build().Der)],
        ["UTCTime years 1950 and 2049", (Func<byte[]>)(() => new CertificateBuilder("edge.example").Valid(new DateTimeOffset(1950, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2049, 12, 31, 23, 59, 59, TimeSpan.Zero)).Build().Der)],
        [".NET RSA leaf, many RDNs, PSS", (Func<byte[]>)(() => DotNetCertificate(RSASignaturePadding.Pss, "CN=rsa.example, OU=Ops, O=Example Ltd, L=Tokyo, S=Tokyo, C=JP, E=ops@example.com"))],
        [".NET RSA self-signed, PKCS#1", (Func<byte[]>)(() => DotNetCertificate(RSASignaturePadding.Pkcs1, "CN=self.example"))],
        ["a v1 certificate", (Func<byte[]>)(() => Version1())],
    ];

    [TestMethod]
    [DynamicData(nameof(CommonCertificates))]
    public void CommonCertificate_IsReadWithoutBouncyCastleAndLikeIt(string kind, Func<byte[]> build)
    {
        // arrange
        var der = build();

        // act
        var fast = DerCertificate.TryRead(der);
        var facts = X509Facts.TryDescribeDer(der, At, CertificateFormat.Der, 0);
        var reference = X509Facts.TryDescribeWithBouncyCastle(der, At, CertificateFormat.Der, 0);

        // assert
        Assert.IsNotNull(fast, $"{kind}: the plain-DER reader should take it");
        Assert.IsNotNull(reference, kind);
        Assert.AreEqual(Facts(reference), Facts(facts), kind);
    }

    [TestMethod]
    public void MustStapleLeaf_FactsAreTheExpectedOnes()
    {
        // act
        var info = X509Facts.TryDescribeDer(Leaf.Der, At, CertificateFormat.Der, 0)!;

        // assert: not only equal to BouncyCastle's, but right
        Assert.IsTrue(info.IsMustStaple);
        Assert.IsTrue(info.TlsFeature!.Critical);
        Assert.AreEqual("http://ocsp.example https://ocsp2.example", string.Join(" ", info.OcspUrls));
        Assert.AreEqual("http://ca.example/r.cer", string.Join(" ", info.CaIssuerUrls));
        Assert.AreEqual("CN=fast.example", info.Subject);
        Assert.AreEqual("CN=Fast Root", info.Issuer);
        Assert.IsFalse(info.IsCa);
        Assert.IsFalse(info.IsSelfSigned);
        Assert.AreEqual(Leaf.Certificate.SerialNumber.ToString(16), info.SerialNumber);
        Assert.AreEqual(TestClock.NotAfter, info.NotAfter);
        var root = X509Facts.TryDescribeDer(Root.Der, At, CertificateFormat.Der, 0)!;
        Assert.IsTrue(root.IsSelfSigned);
        Assert.IsNotNull(root.SubjectKeyId);
        Assert.AreEqual(root.SubjectKeyId, info.AuthorityKeyId, "the leaf's authority key identifier (written with the issuer's name and serial) names the root's key");
    }

    public static IEnumerable<object[]> LeftToBouncyCastle =>
    [
        ["a multi-valued RDN", (Func<byte[]>)(() => new CertificateBuilder("multi.example+O=Example").Build().Der)],
        ["a negative serial", (Func<byte[]>)(() => NegativeSerial())],
        ["BER length of the outer SEQUENCE", (Func<byte[]>)(() => LongFormLength(Leaf.Der))],
        ["trailing bytes", (Func<byte[]>)(() => [.. Leaf.Der, 0x00])],
    ];

    [TestMethod]
    [DynamicData(nameof(LeftToBouncyCastle))]
    public void UnusualEncoding_IsLeftToBouncyCastle(string kind, Func<byte[]> build)
    {
        // arrange
        var der = build();

        // act
        var fast = DerCertificate.TryRead(der);
        var facts = X509Facts.TryDescribeDer(der, At, CertificateFormat.Der, 0);
        var reference = X509Facts.TryDescribeWithBouncyCastle(der, At, CertificateFormat.Der, 0);

        // assert
        Assert.IsNull(fast, kind);
        Assert.AreEqual(Facts(reference), Facts(facts), kind);
    }

    [TestMethod]
    public void MutatedCertificates_ReadAsBouncyCastleAndDotNetReadThem()
    {
        // arrange: certificates of each shape above, mutated by a seeded generator
        var seeds = CommonCertificates.Select(c => ((Func<byte[]>)c[1])()).ToArray();
        var random = new Random(FuzzSettings.Seed);
        var total = 3000 * FuzzSettings.Scale;
        var taken = 0;

        // act / assert
        for (var i = 0; i < total; i++)
        {
            var der = Mutate(seeds[i % seeds.Length], random);
            if (DerCertificate.TryRead(der) is not null) taken++;
            var facts = X509Facts.TryDescribeDer(der, At, CertificateFormat.Der, 0);
            var reference = X509Facts.TryDescribeWithBouncyCastle(der, At, CertificateFormat.Der, 0);
            Assert.AreEqual(Facts(reference), Facts(facts), $"{FuzzSettings.Replay(i)}: {Convert.ToHexString(der)}");
        }
        Assert.IsGreaterThan(total / 10, taken, "mutations of names, times and extension values should still be read by the plain-DER reader");
    }

    [TestMethod]
    [Timeout(60_000)]
    public void ManyExtensions_AreReadInLinearTime()
    {
        // arrange: 150,000 distinct extensions (~2 MB): comparing each with every other would take minutes
        var key = Key();
        var g = new X509V3CertificateGenerator();
        g.SetSerialNumber(BigInteger.ValueOf(7));
        g.SetIssuerDN(new X509Name("CN=many.example"));
        g.SetSubjectDN(new X509Name("CN=many.example"));
        g.SetNotBefore(TestClock.NotBefore.UtcDateTime);
        g.SetNotAfter(TestClock.NotAfter.UtcDateTime);
        g.SetPublicKey(key.Public);
        for (var i = 0; i < 150_000; i++) g.AddExtension(new Org.BouncyCastle.Asn1.DerObjectIdentifier($"1.2.3.4.{i}"), false, Org.BouncyCastle.Asn1.DerNull.Instance);
        g.AddExtension(new Org.BouncyCastle.Asn1.DerObjectIdentifier(TlsFeature.Oid), false, new Org.BouncyCastle.Asn1.DerSequence(Org.BouncyCastle.Asn1.DerInteger.ValueOf(5)));
        var der = g.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", key.Private)).GetEncoded();

        // act
        var fast = DerCertificate.TryRead(der);
        var facts = X509Facts.TryDescribeDer(der, At, CertificateFormat.Der, 0);

        // assert
        Assert.IsNotNull(fast);
        Assert.IsTrue(facts!.IsMustStaple);
        Assert.AreEqual(Facts(X509Facts.TryDescribeWithBouncyCastle(der, At, CertificateFormat.Der, 0)), Facts(facts));
    }

    private static string Facts(CertificateInfo? c) => c is null ? "(not a certificate)" : string.Join("\n",
        c.Subject, c.Issuer, c.SubjectKey, c.IssuerKey, c.SerialNumber, c.Sha256, c.SubjectKeyId ?? "-", c.AuthorityKeyId ?? "-",
        c.IsCa, c.IsSelfSigned, c.NotBefore.ToString("O"), c.NotAfter.ToString("O"),
        c.TlsFeature is null ? "-" : $"{string.Join(",", c.TlsFeature.Features)} {c.TlsFeature.Critical} {c.TlsFeature.Problem}",
        string.Join(" ", c.OcspUrls), string.Join(" ", c.CaIssuerUrls), c.HasPrivateKey, c.Format, c.IndexInFile);

    private static readonly byte[] SwappedTags = [0x0C, 0x12, 0x13, 0x14, 0x16, 0x17, 0x18, 0x1C, 0x1E, 0x01, 0x02, 0x04, 0x05, 0x30, 0x31, 0x80, 0x82, 0x86, 0xA0, 0xA3];

    private static readonly byte[] TextBytes = [.. "0123456789Z+-.:aA"u8, 0xC3, 0xFF];

    private static byte[] Mutate(byte[] input, Random random)
    {
        var bytes = (byte[])input.Clone();
        switch (random.Next(4))
        {
            case 0: // flip a bit
                bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 1: // a random byte value
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                return bytes;
            case 2: // a text byte inside names, times and URLs: a letter, a digit or a separator
                var printable = Enumerable.Range(0, bytes.Length).Where(k => bytes[k] is >= 0x20 and < 0x7F).ToArray();
                bytes[printable[random.Next(printable.Length)]] = TextBytes[random.Next(TextBytes.Length)];
                return bytes;
            default: // a tag byte swapped for another string, time, structure or context tag
                var tags = Enumerable.Range(0, bytes.Length).Where(k => bytes[k] is 0x0C or 0x13 or 0x16 or 0x17 or 0x18 or 0x01 or 0x02 or 0x04 or 0x30 or 0x31 or 0x80 or 0x86).ToArray();
                bytes[tags[random.Next(tags.Length)]] = SwappedTags[random.Next(SwappedTags.Length)];
                return bytes;
        }
    }

    private static byte[] DotNetCertificate(RSASignaturePadding padding, string subject)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, padding);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509Extension("1.3.6.1.5.5.7.1.24", [0x30, 0x03, 0x02, 0x01, 0x05], false));
        using var cert = request.CreateSelfSigned(TestClock.NotBefore, TestClock.NotAfter);
        return cert.RawData;
    }

    private static byte[] Version1()
    {
        var key = Key();
        var g = new X509V1CertificateGenerator();
        g.SetSerialNumber(BigInteger.ValueOf(4242));
        g.SetIssuerDN(new X509Name("CN=v1 CA, O=Old"));
        g.SetSubjectDN(new X509Name("CN=v1.example, O=Old"));
        g.SetNotBefore(TestClock.NotBefore.UtcDateTime);
        g.SetNotAfter(TestClock.NotAfter.UtcDateTime);
        g.SetPublicKey(key.Public);
        return g.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", key.Private)).GetEncoded();
    }

    // BouncyCastle writes only positive serials: a one-byte serial is turned negative afterwards (the signature no longer
    // matches, which no reader here checks).
    private static byte[] NegativeSerial()
    {
        var der = WithSerial(BigInteger.ValueOf(0x7B));
        var at = der.AsSpan().IndexOf(new byte[] { 0xA0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x01, 0x7B });
        der[at + 7] = 0x85;
        return der;
    }

    private static byte[] WithSerial(BigInteger serial)
    {
        var key = Key();
        var g = new X509V3CertificateGenerator();
        g.SetSerialNumber(serial);
        g.SetIssuerDN(new X509Name("CN=neg.example"));
        g.SetSubjectDN(new X509Name("CN=neg.example"));
        g.SetNotBefore(TestClock.NotBefore.UtcDateTime);
        g.SetNotAfter(TestClock.NotAfter.UtcDateTime);
        g.SetPublicKey(key.Public);
        return g.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", key.Private)).GetEncoded();
    }

    private static Org.BouncyCastle.Crypto.AsymmetricCipherKeyPair Key()
    {
        var gen = new ECKeyPairGenerator();
        gen.Init(new ECKeyGenerationParameters(Org.BouncyCastle.Asn1.X9.X9ObjectIdentifiers.Prime256v1, new SecureRandom()));
        return gen.GenerateKeyPair();
    }

    // The same certificate with its outer length in a longer form than DER allows (BER).
    private static byte[] LongFormLength(byte[] der)
    {
        var headerLength = der[1] < 0x80 ? 2 : 2 + (der[1] & 0x7F);
        var length = der.Length - headerLength;
        return [0x30, 0x84, (byte)(length >> 24), (byte)(length >> 16), (byte)(length >> 8), (byte)length, .. der.AsSpan(headerLength)];
    }
}

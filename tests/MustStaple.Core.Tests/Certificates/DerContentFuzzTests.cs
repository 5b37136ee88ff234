using MustStaple.Certificates;
using MustStaple.Testing;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Pkcs;

namespace MustStaple.Core.Tests.Certificates;

/// <summary>Seeded damage to the inputs only the .NET fallback and the DER classifier read: never a throw.</summary>
[TestClass]
public sealed class DerContentFuzzTests
{
    [TestMethod]
    [Timeout(120_000)]
    public void DamagedDerOfEveryKind_NeverThrows_AndOnlyMst0001()
    {
        // arrange
        var ca = new CertificateBuilder("Fuzz CA").AsCa().Build();
        var leaf = new CertificateBuilder("fuzz.example").MustStaple().Ocsp("http://ocsp.example").IssuedBy(ca).Build();
        var emptyIssuer = DotNetReadableCertificateTests.Mutate(leaf, tbs => tbs[3] = new DerSequence());
        var signed = new SignedData(new DerSet(), new ContentInfo(CmsObjectIdentifiers.Data, null),
            new DerSet(new Asn1Encodable[] { ca.Certificate.CertificateStructure, leaf.Certificate.CertificateStructure }), null, new DerSet());
        var csrPem = RequestBuilder.CsrPem("fuzz.example", mustStaple: true);
        var seeds = new (string Name, byte[] Bytes)[]
        {
            ("empty-issuer.der", emptyIssuer),
            ("bundle.p7b.der", new ContentInfo(CmsObjectIdentifiers.SignedData, signed).GetEncoded()),
            ("request.der", Convert.FromBase64String(string.Concat(csrPem.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal))))),
            ("key.der", PrivateKeyInfoFactory.CreatePrivateKeyInfo(leaf.Key.Private).GetEncoded()),
            ("empty-issuer.pem", System.Text.Encoding.ASCII.GetBytes("-----BEGIN CERTIFICATE-----\n" + Convert.ToBase64String(emptyIssuer) + "\n-----END CERTIFICATE-----\n")),
        };
        var random = new Random(FuzzSettings.Seed);
        var total = 1500 * FuzzSettings.Scale;
        var read = 0;

        // act + assert
        for (var i = 0; i < total; i++)
        {
            var (name, original) = seeds[i % seeds.Length];
            var bytes = (byte[])original.Clone();
            if (random.Next(3) == 0) bytes = bytes[..random.Next(bytes.Length)];
            else for (var k = 0; k < 1 + random.Next(6); k++) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
            if (bytes.Length == 0) continue;
            CertificateFile file;
            try
            {
                file = CertificateLoader.Parse("/fuzz/" + name, bytes, []);
            }
            catch (Exception ex)
            {
                Assert.Fail($"{FuzzSettings.Replay(i)} ({name}) threw {ex}");
                throw;
            }
            if (file.Certificates.Count + file.Requests.Count > 0) read++;
            foreach (var p in file.Problems)
                Assert.AreEqual("MST0001", p.RuleId, $"{FuzzSettings.Replay(i)} ({name})");
        }

        Assert.IsGreaterThan(0, read, "some damaged inputs should still be read");
    }
}

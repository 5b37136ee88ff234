using MustStaple.Certificates;
using MustStaple.Testing;

namespace MustStaple.Core.Tests;

/// <summary>Seeded mutations of every certificate input kind: the loader must never throw or hang.</summary>
[TestClass]
public sealed class FuzzTests
{
    [TestMethod]
    public void MutatedCertificateInputs_NeverThrow()
    {
        // arrange
        var root = new CertificateBuilder("Root").AsCa().Build();
        var leaf = new CertificateBuilder("leaf").MustStaple().Ocsp("http://ocsp.example").CaIssuers("http://ca.example/r.cer").IssuedBy(root).Build();
        var seeds = new (string Name, byte[] Bytes)[]
        {
            ("chain.pem", System.Text.Encoding.UTF8.GetBytes(TestCertificate.PemChain(leaf, root))),
            ("leaf.der", leaf.Der),
            ("site.pfx", leaf.ToPfx("", root)),
            ("modern.pfx", leaf.ToModernPfx("", root)),
            ("locked.p12", leaf.ToModernPfx("pw", root)),
            ("site.csr", System.Text.Encoding.UTF8.GetBytes(RequestBuilder.CsrPem("x", true))),
            ("openssl.cnf", System.Text.Encoding.UTF8.GetBytes("[v3]\ntlsfeature = status_request\n1.3.6.1.5.5.7.1.24 = DER:30:03:02:01:05\n")),
        };
        var random = new Random(FuzzSettings.Seed);
        var total = 4000 * FuzzSettings.Scale;
        var cases = 0;
        var parsed = 0;

        // act
        for (var i = 0; i < total; i++)
        {
            var (name, original) = seeds[i % seeds.Length];
            var bytes = Mutate(original, random);
            CertificateFile file;
            try
            {
                file = CertificateLoader.Parse("/fuzz/" + name, bytes, ["pw"]);
            }
            catch (Exception ex)
            {
                Assert.Fail($"{FuzzSettings.Replay(i)} ({name}) threw {ex}");
                throw;
            }
            cases++;
            if (file.Certificates.Count + file.Requests.Count > 0) parsed++;
            foreach (var p in file.Problems)
                Assert.IsTrue(p.RuleId is "MST0001" or "MST0002", $"{FuzzSettings.Replay(i)}: unexpected {p.RuleId}");
        }

        // assert
        Assert.AreEqual(total, cases);
        Assert.IsGreaterThan(0, parsed, "mutations should leave some inputs readable");
    }

    private static byte[] Mutate(byte[] input, Random random)
    {
        var bytes = (byte[])input.Clone();
        switch (random.Next(5))
        {
            case 0: // flip bits
                for (var k = 0; k < 1 + random.Next(8); k++) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 1: // truncate
                return bytes.Take(random.Next(bytes.Length)).ToArray();
            case 2: // random byte values
                for (var k = 0; k < 1 + random.Next(4); k++) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                return bytes;
            case 3: // duplicate a slice
                var start = random.Next(bytes.Length);
                var len = random.Next(Math.Min(64, bytes.Length - start) + 1);
                return bytes.Take(start + len).Concat(bytes.Skip(start)).ToArray();
            default: // length fields: make DER lengths huge
                for (var k = 0; k < bytes.Length - 1; k++)
                    if (bytes[k] == 0x82 && random.Next(4) == 0) { bytes[k + 1] = 0xff; break; }
                return bytes;
        }
    }
}

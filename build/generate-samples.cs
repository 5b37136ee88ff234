#!/usr/bin/env dotnet
// Regenerates the certificate files under samples/ (public certificates only: no private key is written).
// Usage: dotnet run build/generate-samples.cs
// Validity runs to 9999-12-31 (RFC 5280's "no expiry") so the samples never expire, except where expiry is the point.
#:project ../tests/MustStaple.Testing/MustStaple.Testing.csproj
#:property PublishAot=false
using MustStaple.Testing;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;

var repo = Path.GetFullPath(Path.Combine(AppContext.GetData("EntryPointFileDirectoryPath") as string ?? "build", ".."));
var from = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
var forever = new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero);

var root = new CertificateBuilder("MustStaple Sample Root").AsCa().Valid(from, forever).Build();
var ca = new CertificateBuilder("MustStaple Sample Issuing CA").AsCa().IssuedBy(root).Valid(from, forever).Build();
TestCertificate Leaf(string cn, Func<CertificateBuilder, CertificateBuilder> f) =>
    f(new CertificateBuilder(cn).IssuedBy(ca).Valid(from, forever).DnsNames(cn)).Build();

void Write(string rel, string text) { var p = Path.Combine(repo, rel); Directory.CreateDirectory(Path.GetDirectoryName(p)!); File.WriteAllText(p, text.Replace("\r\n", "\n")); Console.WriteLine(rel); }
void WriteBytes(string rel, byte[] b) { var p = Path.Combine(repo, rel); Directory.CreateDirectory(Path.GetDirectoryName(p)!); File.WriteAllBytes(p, b); Console.WriteLine(rel); }
byte[] CertOnlyPfx(string password, params TestCertificate[] certs)
{
    var store = new Pkcs12StoreBuilder().Build();
    for (var i = 0; i < certs.Length; i++) store.SetCertificateEntry($"c{i}", new X509CertificateEntry(certs[i].Certificate));
    using var ms = new MemoryStream();
    store.Save(ms, password.ToCharArray(), new SecureRandom());
    return ms.ToArray();
}

var ocsp = "http://ocsp.sample.invalid";
var good = Leaf("good.sample.invalid", b => b.MustStaple().Ocsp(ocsp).CaIssuers("http://ca.sample.invalid/issuing.cer"));
var caPem = ca.Pem;
var rootPem = root.Pem;

// certificates/clean: nothing to report
Write("samples/certificates/clean/fullchain.pem", "# must-staple leaf, issuing CA, private root (Kestrel staples this on Linux)\n" + TestCertificate.PemChain(good, ca, root));
Write("samples/certificates/clean/plain.crt", Leaf("plain.sample.invalid", b => b).Pem);
Write("samples/certificates/clean/openssl.cnf", "[req]\ndistinguished_name = dn\nreq_extensions = v3_req\n\n[dn]\n\n[v3_req]\nsubjectAltName = DNS:plain.sample.invalid\n");

// certificates/broken: one file per rule
Write("samples/certificates/broken/no-ocsp-url.pem", Leaf("no-ocsp.sample.invalid", b => b.MustStaple()).Pem + caPem);
Write("samples/certificates/broken/https-ocsp-url.pem", Leaf("https-ocsp.sample.invalid", b => b.MustStaple().Ocsp("https://ocsp.sample.invalid")).Pem);
Write("samples/certificates/broken/lets-encrypt.pem", Leaf("le.sample.invalid", b => b.MustStaple().Ocsp("http://r11.o.lencr.org")).Pem);
Write("samples/certificates/broken/v2-only.crt", Leaf("v2.sample.invalid", b => b.TlsFeatures(17).Ocsp(ocsp)).Pem);
WriteBytes("samples/certificates/broken/critical-feature.der", Leaf("critical.sample.invalid", b => b.MustStaple().TlsFeatureCritical().Ocsp(ocsp)).Der);
var msCa = new CertificateBuilder("Must-Staple Issuing CA").AsCa().MustStaple().IssuedBy(root).Valid(from, forever).Build();
Write("samples/certificates/broken/ca-must-staple.pem", msCa.Pem);
Write("samples/certificates/broken/expired.pem", new CertificateBuilder("expired.sample.invalid").MustStaple().Ocsp(ocsp).IssuedBy(ca)
    .Valid(from, new DateTimeOffset(2025, 12, 31, 0, 0, 0, TimeSpan.Zero)).Build().Pem);
Write("samples/certificates/broken/site.csr", RequestBuilder.CsrPem("site.sample.invalid", mustStaple: true));
Write("samples/certificates/broken/openssl.cnf", "[req]\ndistinguished_name = dn\nreq_extensions = v3_req\n\n[dn]\n\n[v3_req]\nsubjectAltName = DNS:site.sample.invalid\ntlsfeature = status_request\n");
Write("samples/certificates/broken/truncated.pem", good.Pem.Substring(0, 200));
WriteBytes("samples/certificates/broken/locked.pfx", CertOnlyPfx("sample-password", good, ca));

// Web apps built against the package: a must-staple PFX (fails on Linux) and a PEM chain (passes).
var pfxLeaf = Leaf("shop.sample.invalid", b => b.MustStaple().Ocsp(ocsp)); // private CA: no caIssuers URL to fetch the chain from
WriteBytes("samples/WebApp.Pfx/certs/site.pfx", CertOnlyPfx("sample-password", pfxLeaf, ca, root));
Write("samples/WebApp.PemChain/certs/fullchain.pem", TestCertificate.PemChain(good, ca, root));

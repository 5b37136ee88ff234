using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;

namespace MustStaple.Testing;

/// <summary>A certificate built for a test, with its private key.</summary>
public sealed class TestCertificate
{
    private static int _serial = 1000;

    internal TestCertificate(X509Certificate certificate, AsymmetricCipherKeyPair key)
    {
        Certificate = certificate;
        Key = key;
    }

    /// <summary>The certificate.</summary>
    public X509Certificate Certificate { get; }

    /// <summary>Its key pair.</summary>
    public AsymmetricCipherKeyPair Key { get; }

    /// <summary>DER bytes.</summary>
    public byte[] Der => Certificate.GetEncoded();

    /// <summary>One PEM CERTIFICATE block, LF line endings.</summary>
    public string Pem => ToPem(Certificate);

    /// <summary>The private key as a PKCS#8 PEM block.</summary>
    public string KeyPem
    {
        get
        {
            using var sw = new StringWriter();
            var w = new PemWriter(sw);
            w.WriteObject(new Org.BouncyCastle.OpenSsl.Pkcs8Generator(Key.Private));
            w.Writer.Flush();
            return sw.ToString().Replace("\r\n", "\n");
        }
    }

    /// <summary>Several certificates as one PEM text, in order.</summary>
    public static string PemChain(params TestCertificate[] certs) => string.Concat(certs.Select(c => c.Pem));

    /// <summary>
    /// A PKCS#12 as <c>openssl pkcs12 -export</c> (OpenSSL 3) and .NET 9+ write it: certificate and key bags under PBES2
    /// (PBKDF2-HMAC-SHA256, 2,048 iterations, AES-256-CBC), SHA-256 MAC. Written by .NET, not BouncyCastle.
    /// </summary>
    public byte[] ToModernPfx(string password, params TestCertificate[] chain)
    {
        using var leaf = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(Pem, KeyPem);
        var collection = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection(leaf);
        foreach (var c in chain)
            collection.Add(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(c.Der));
        try
        {
            return collection.ExportPkcs12(new System.Security.Cryptography.PbeParameters(
                System.Security.Cryptography.PbeEncryptionAlgorithm.Aes256Cbc, System.Security.Cryptography.HashAlgorithmName.SHA256, 2048), password);
        }
        finally
        {
            foreach (var c in collection) c.Dispose();
        }
    }

    /// <summary>A PKCS#12 as BouncyCastle writes it by default (legacy: RC2-40 certificates, 3DES key, SHA-1 MAC).</summary>
    public byte[] ToPfx(string password, params TestCertificate[] chain)
    {
        var store = new Pkcs12StoreBuilder().Build();
        var entries = new[] { this }.Concat(chain).Select(c => new X509CertificateEntry(c.Certificate)).ToArray();
        store.SetKeyEntry("leaf", new AsymmetricKeyEntry(Key.Private), entries);
        using var ms = new MemoryStream();
        store.Save(ms, password.ToCharArray(), new SecureRandom());
        return ms.ToArray();
    }

    internal static BigInteger NextSerial() => BigInteger.ValueOf(Interlocked.Increment(ref _serial));

    internal static string ToPem(object o)
    {
        using var sw = new StringWriter();
        var w = new PemWriter(sw);
        w.WriteObject(o);
        w.Writer.Flush();
        return sw.ToString().Replace("\r\n", "\n");
    }
}

/// <summary>Builds certificates: leaves and CAs with any TLS Feature, AIA and validity.</summary>
public sealed class CertificateBuilder
{
    private static readonly SecureRandom Random = new();
    private readonly string _subject;
    private TestCertificate? _issuer;
    private bool _isCa;
    private Asn1Encodable? _tlsFeature;
    private bool _tlsFeatureCritical;
    private readonly List<string> _ocsp = [];
    private readonly List<string> _caIssuers = [];
    private DateTimeOffset _notBefore = TestClock.NotBefore;
    private DateTimeOffset _notAfter = TestClock.NotAfter;
    private string[] _dnsNames = [];

    /// <summary>Starts a certificate whose subject is <c>CN=<paramref name="commonName"/></c>.</summary>
    public CertificateBuilder(string commonName) => _subject = $"CN={commonName}";

    /// <summary>Signed by <paramref name="issuer"/> (default: self-signed).</summary>
    public CertificateBuilder IssuedBy(TestCertificate issuer) { _issuer = issuer; return this; }

    /// <summary>A CA certificate (basicConstraints cA=true, keyCertSign).</summary>
    public CertificateBuilder AsCa() { _isCa = true; return this; }

    /// <summary>Must-staple: TLS Feature = { status_request }.</summary>
    public CertificateBuilder MustStaple() => TlsFeatures(5);

    /// <summary>TLS Feature listing <paramref name="features"/>.</summary>
    public CertificateBuilder TlsFeatures(params int[] features)
    {
        _tlsFeature = new DerSequence(features.Select(f => (Asn1Encodable)DerInteger.ValueOf(f)).ToArray());
        return this;
    }

    /// <summary>TLS Feature with an arbitrary encoded value (for malformed cases).</summary>
    public CertificateBuilder RawTlsFeature(Asn1Encodable value) { _tlsFeature = value; return this; }

    /// <summary>Mark the TLS Feature extension critical.</summary>
    public CertificateBuilder TlsFeatureCritical() { _tlsFeatureCritical = true; return this; }

    /// <summary>AIA OCSP URL.</summary>
    public CertificateBuilder Ocsp(string url) { _ocsp.Add(url); return this; }

    /// <summary>AIA caIssuers URL.</summary>
    public CertificateBuilder CaIssuers(string url) { _caIssuers.Add(url); return this; }

    /// <summary>Validity period.</summary>
    public CertificateBuilder Valid(DateTimeOffset notBefore, DateTimeOffset notAfter) { _notBefore = notBefore; _notAfter = notAfter; return this; }

    /// <summary>Subject alternative names.</summary>
    public CertificateBuilder DnsNames(params string[] names) { _dnsNames = names; return this; }

    /// <summary>Creates the certificate with a fresh P-256 key.</summary>
    public TestCertificate Build()
    {
        var gen = new ECKeyPairGenerator();
        gen.Init(new ECKeyGenerationParameters(Org.BouncyCastle.Asn1.X9.X9ObjectIdentifiers.Prime256v1, Random));
        var key = gen.GenerateKeyPair();
        var subject = new X509Name(_subject);
        var issuerName = _issuer?.Certificate.SubjectDN ?? subject;
        var signingKey = _issuer?.Key.Private ?? key.Private;

        var g = new X509V3CertificateGenerator();
        g.SetSerialNumber(TestCertificate.NextSerial());
        g.SetIssuerDN(issuerName);
        g.SetSubjectDN(subject);
        g.SetNotBefore(_notBefore.UtcDateTime);
        g.SetNotAfter(_notAfter.UtcDateTime);
        g.SetPublicKey(key.Public);
        g.AddExtension(X509Extensions.SubjectKeyIdentifier, false, X509ExtensionUtilities.CreateSubjectKeyIdentifier(key.Public));
        if (_issuer is not null)
            g.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, X509ExtensionUtilities.CreateAuthorityKeyIdentifier(_issuer.Certificate));
        if (_isCa)
        {
            g.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(true));
            g.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.KeyCertSign | KeyUsage.CrlSign | KeyUsage.DigitalSignature));
        }
        else
        {
            g.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(false));
            g.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment));
            g.AddExtension(X509Extensions.ExtendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeID.id_kp_serverAuth));
            var names = _dnsNames.Length > 0 ? _dnsNames : ["localhost"];
            var sans = names.Select(n => System.Net.IPAddress.TryParse(n, out _) ? new GeneralName(GeneralName.IPAddress, n) : new GeneralName(GeneralName.DnsName, n));
            g.AddExtension(X509Extensions.SubjectAlternativeName, false, new GeneralNames(sans.ToArray()));
        }
        var access = _ocsp.Select(u => new AccessDescription(AccessDescription.IdADOcsp, new GeneralName(GeneralName.UniformResourceIdentifier, u)))
            .Concat(_caIssuers.Select(u => new AccessDescription(AccessDescription.IdADCAIssuers, new GeneralName(GeneralName.UniformResourceIdentifier, u))))
            .Select(a => (Asn1Encodable)a).ToArray();
        if (access.Length > 0)
            g.AddExtension(X509Extensions.AuthorityInfoAccess, false, new DerSequence(access));
        if (_tlsFeature is not null)
            g.AddExtension(new DerObjectIdentifier("1.3.6.1.5.5.7.1.24"), _tlsFeatureCritical, _tlsFeature);

        var cert = g.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", signingKey, Random));
        return new TestCertificate(cert, key);
    }
}

/// <summary>Certificate signing requests and OpenSSL configs for MST1007.</summary>
public static class RequestBuilder
{
    /// <summary>A PEM CSR for <c>CN=<paramref name="commonName"/></c>, optionally requesting must-staple.</summary>
    public static string CsrPem(string commonName, bool mustStaple)
    {
        var gen = new ECKeyPairGenerator();
        gen.Init(new ECKeyGenerationParameters(Org.BouncyCastle.Asn1.X9.X9ObjectIdentifiers.Prime256v1, new SecureRandom()));
        var key = gen.GenerateKeyPair();
        DerSet? attrs = null;
        if (mustStaple)
        {
            var ext = new X509ExtensionsGenerator();
            ext.AddExtension(new DerObjectIdentifier("1.3.6.1.5.5.7.1.24"), false, new DerSequence(DerInteger.ValueOf(5)));
            attrs = new DerSet(new Org.BouncyCastle.Asn1.Pkcs.AttributePkcs(Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers.Pkcs9AtExtensionRequest, new DerSet(ext.Generate())));
        }
        var csr = new Pkcs10CertificationRequest("SHA256WITHECDSA", new X509Name($"CN={commonName}"), key.Public, attrs, key.Private);
        return TestCertificate.ToPem(csr);
    }

    /// <summary>Bytes of text in UTF-8 with the given line ending.</summary>
    public static byte[] Text(string text, string newline = "\n") => Encoding.UTF8.GetBytes(text.Replace("\n", newline));
}

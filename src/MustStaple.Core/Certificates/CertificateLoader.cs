using MustStaple.Localization;
using System.Text;
using MustStaple.Diagnostics;
using MustStaple.Discovery;
using MustStaple.Rules;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Pkcs;

namespace MustStaple.Certificates;

/// <summary>
/// Reads certificate-bearing files: PEM (any number of blocks), DER, PKCS#12, PKCS#10 and OpenSSL configs.
/// Never throws for file content; every problem is a <see cref="LoadProblem"/> with a location.
/// </summary>
public static class CertificateLoader
{
    /// <summary>Files larger than this are not certificates; they are reported and skipped.</summary>
    public const long MaxFileSize = 10 * 1024 * 1024;

    /// <summary>At most this many damaged PEM blocks are reported per file, then one line says how many more there are.</summary>
    public const int MaxProblemsPerFile = 20;

    /// <summary>
    /// Reads <paramref name="path"/> through <see cref="InputFile"/>, confined to <paramref name="sourceRoot"/> (default: the
    /// file's own folder). <paramref name="passwords"/> are tried, after the empty one, for PKCS#12. A file outside the root
    /// is never opened (<c>MST0004</c>); whatever its reader throws becomes one <c>MST0001</c>.
    /// </summary>
    public static CertificateFile Load(string path, IEnumerable<string> passwords, string? sourceRoot = null, WorkBudget? budget = null)
    {
        var name = Path.GetFileName(path);
        var read = InputFile.Read(path, sourceRoot ?? Path.GetDirectoryName(Path.GetFullPath(path))!, MaxFileSize);
        if (read.Bytes is not { } bytes)
            return read.Refusal == InputRefusal.OutsideRoot
                ? Problem(path, RuleIds.CertificateNotCheckable, Texts.Input.Text("NotOpenedOutside", name, read.Problem))
                : Problem(path, RuleIds.UnreadableInput, Texts.Input.Text("WasNotRead", name, read.Problem));
        if (bytes.Length == 0)
            return Problem(path, RuleIds.UnreadableInput, Texts.Input.Text("EmptyFile", name));
        return ReadBoundary.Guard(path, "a certificate file", () =>
            {
                budget?.Charge(path, WorkKind.Bytes, bytes.Length);
                return Parse(path, bytes, passwords, budget);
            },
            fault => Problem(path, RuleIds.UnreadableInput, Texts.Input.Text("CouldNotBeRead", name, fault.Text)));
    }

    /// <summary>True for the files whose reading depends on passwords (PKCS#12).</summary>
    public static bool NeedsPassword(string path) =>
        Path.GetExtension(path).ToUpperInvariant() is ".PFX" or ".P12";

    /// <summary>Parses file content already in memory (the fuzz tests' entry point), within <paramref name="budget"/> (the run's).</summary>
    public static CertificateFile Parse(string path, byte[] bytes, IEnumerable<string> passwords, WorkBudget? budget = null)
    {
        var ext = Path.GetExtension(path).ToUpperInvariant();
        var name = Path.GetFileName(path);
        if (ext == ".CNF")
            return OpenSslConfigReader.Read(path, bytes);
        // ASN.1 parsers recurse: the nesting is measured first, without recursion (each PEM block's too).
        if (NeedsPassword(path))
        {
            DerNesting.Check(path, bytes, budget);
            return Pkcs12Reader.Read(path, bytes, passwords, budget);
        }
        if (PemReader.LooksLikePem(bytes))
            return ReadPem(path, bytes, budget);
        DerNesting.Check(path, bytes, budget);
        return ReadDer(path, bytes, ext);
    }

    // A binary file: a certificate (read as .NET reads it when BouncyCastle refuses it), a request, a CMS bundle, or
    // something with nothing to check (a key, a CRL, an OCSP message), which stays silent.
    private static CertificateFile ReadDer(string path, byte[] bytes, string ext)
    {
        var at = SourceLocation.StartOf(path);
        var name = Path.GetFileName(path);
        if (X509Facts.TryDescribeDer(bytes, at, CertificateFormat.Der, 0) is { } cert)
            return new CertificateFile { Path = path, Certificates = [cert], Requests = [], Problems = [] };
        var kind = DerShape.Classify(bytes);
        // A text file under a certificate's or request's name (test vectors, notes, an OpenSSL request config named .req)
        // is no certificate anyone serves: neither PEM nor DER, it is not this reader's to judge.
        if (kind == DerKind.NotDer && ext is ".REQ" or ".CSR" or ".CRT" or ".CER" && LooksLikeText(bytes))
            return new CertificateFile { Path = path, Certificates = [], Requests = [], Problems = [] };
        try
        {
            switch (kind)
            {
                case DerKind.Request:
                    return new CertificateFile { Path = path, Certificates = [], Requests = RequestsFrom(new Pkcs10CertificationRequest(bytes), at), Problems = [] };
                case DerKind.Cms:
                    return new CertificateFile { Path = path, Certificates = CmsCertificates(bytes, at, CertificateFormat.Der, 0), Requests = [], Problems = [] };
                case DerKind.NotACertificate:
                    return new CertificateFile { Path = path, Certificates = [], Requests = [], Problems = [] };
            }
        }
        catch (Exception ex) when (ParseFailure.IsExpected(ex))
        {
            var message = Texts.Input.Text(kind == DerKind.Request ? "Der.NotRequest" : "Der.NotCms");
            return Problem(path, RuleIds.UnreadableInput, Texts.Input.Text("CouldNotBeRead", name, message));
        }
        var hint = Texts.Input.Text(kind switch
        {
            DerKind.Certificate => "Der.BadCertificate",
            DerKind.Unknown => "Der.Unknown",
            _ when ext == ".PEM" => "Der.NoPemBlock",
            _ => "Der.NeitherPemNorDer",
        });
        return Problem(path, RuleIds.UnreadableInput, Texts.Input.Text("NotACertificate", name, hint));
    }

    // Valid UTF-8 (or UTF-16 with its byte-order mark) without control characters other than whitespace: what a text editor wrote.
    private static bool LooksLikeText(byte[] bytes)
    {
        if (TextDecoder.Decode(bytes).Text is not { } text) return false;
        foreach (var c in text)
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r' or '\f')) return false;
        return true;
    }

    // The certificates of a PKCS#7/CMS SignedData (a .p7b/.p7c bundle); other content types hold none.
    private static List<CertificateInfo> CmsCertificates(byte[] der, SourceLocation at, CertificateFormat format, int firstIndex)
    {
        var info = Org.BouncyCastle.Asn1.Cms.ContentInfo.GetInstance(Asn1Object.FromByteArray(der));
        if (!Org.BouncyCastle.Asn1.Cms.CmsObjectIdentifiers.SignedData.Equals(info.ContentType) || info.Content is null) return [];
        var signed = Org.BouncyCastle.Asn1.Cms.SignedData.GetInstance(info.Content);
        var certs = new List<CertificateInfo>();
        foreach (var element in signed.Certificates ?? (IEnumerable<Asn1Encodable>)[])
        {
            if (element is not Asn1Sequence) continue; // attribute and other certificate formats
            var encoded = element.GetEncoded(Asn1Encodable.Der);
            certs.Add(X509Facts.TryDescribeDer(encoded, at, format, firstIndex + certs.Count)
                ?? throw new InvalidDataException("a certificate in the bundle cannot be read"));
        }
        return certs;
    }

    private static CertificateFile ReadPem(string path, byte[] bytes, WorkBudget? budget)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var blocks = PemReader.Read(text, IsParsedLabel);
        var certs = new List<CertificateInfo>();
        var requests = new List<MustStapleRequest>();
        var problems = new List<LoadProblem>();
        foreach (var b in blocks)
        {
            var at = new SourceLocation(path, b.BeginLine, 1, b.BeginLine, b.BeginLength + 1);
            if (!IsParsedLabel(b.Label)) continue; // keys and other blocks are never decoded or echoed
            if (b.Problem is not null || b.Data is null)
            {
                problems.Add(new LoadProblem(RuleIds.UnreadableInput, at, Texts.Input.Text("AtLine", Path.GetFileName(path), b.BeginLine, b.Problem)));
                continue;
            }
            DerNesting.Check(path, b.Data, budget);
            try
            {
                if (b.Label.EndsWith("CERTIFICATE REQUEST", StringComparison.Ordinal))
                {
                    requests.AddRange(RequestsFrom(new Pkcs10CertificationRequest(b.Data), at));
                }
                else if (b.Label is "PKCS7" or "CMS")
                {
                    certs.AddRange(CmsCertificates(b.Data, at, CertificateFormat.Pem, certs.Count));
                }
                else
                {
                    // TRUSTED CERTIFICATE carries OpenSSL trust settings after the certificate: read the first object.
                    var der = b.Label == "TRUSTED CERTIFICATE" ? FirstObject(b.Data) : b.Data;
                    certs.Add(X509Facts.TryDescribeDer(der, at, CertificateFormat.Pem, certs.Count)
                        ?? throw new InvalidDataException("neither BouncyCastle nor .NET reads it"));
                }
            }
            catch (Exception ex) when (ParseFailure.IsExpected(ex))
            {
                problems.Add(new LoadProblem(RuleIds.UnreadableInput, at,
                    Texts.Input.Text("AtLine", Path.GetFileName(path), b.BeginLine, Texts.Input.Text("Pem.NotValid", b.Label, Describe(b.Label)))));
            }
        }

        if (blocks.Count == 0)
            problems.Add(new LoadProblem(RuleIds.UnreadableInput, SourceLocation.StartOf(path),
                Texts.Input.Text("Pem.NoCompleteBlock", Path.GetFileName(path))));
        if (problems.Count > MaxProblemsPerFile)
        {
            // A damaged or hostile file must not flood the log: the first ones locate the damage well enough.
            var more = problems.Count - MaxProblemsPerFile;
            problems.RemoveRange(MaxProblemsPerFile, more);
            problems.Add(new LoadProblem(RuleIds.UnreadableInput, problems[MaxProblemsPerFile - 1].Location,
                Texts.Input.Text("Pem.MoreNotReported", Path.GetFileName(path), more)));
        }
        return new CertificateFile { Path = path, Certificates = certs, Requests = requests, Problems = problems };
    }

    private static bool IsParsedLabel(string label) => label is "CERTIFICATE" or "X509 CERTIFICATE"
        or "TRUSTED CERTIFICATE" or "CERTIFICATE REQUEST" or "NEW CERTIFICATE REQUEST" or "PKCS7" or "CMS";

    private static LocalizedText Describe(string label) => Texts.Input.Text(
        label.EndsWith("REQUEST", StringComparison.Ordinal) ? "Pem.Kind.Request"
        : label is "PKCS7" or "CMS" ? "Pem.Kind.Cms" : "Pem.Kind.Certificate");

    private static byte[] FirstObject(byte[] data)
    {
        using var stream = new Asn1InputStream(data);
        return stream.ReadObject().GetEncoded();
    }

    internal static IReadOnlyList<MustStapleRequest> RequestsFrom(Pkcs10CertificationRequest csr, SourceLocation at)
    {
        var extensions = csr.GetRequestedExtensions();
        var value = extensions?.GetExtension(new DerObjectIdentifier(TlsFeature.Oid));
        if (value is null) return [];
        var feature = X509Facts.ReadTlsFeature(value.Value, value.IsCritical);
        if (feature?.RequiresStatusRequest != true) return [];
        var subject = csr.GetCertificationRequestInfo().Subject?.ToString() ?? "";
        return [new MustStapleRequest { Origin = at, Description = Localization.Texts.Certificates.Text("Request.Csr", subject) }];
    }

    internal static CertificateFile Problem(string path, string ruleId, LocalizedText message) => new()
    {
        Path = path,
        Certificates = [],
        Requests = [],
        Problems = [new LoadProblem(ruleId, SourceLocation.StartOf(path), message)],
    };
}

#!/usr/bin/env dotnet
// The per-file half of build/regress.sh: for every certificate file the lint discovers under a corpus folder, reads it
// with the lint's loader (an exception is a crash), loads every certificate .NET itself loads from it
// (X509CertificateLoader on DER files and on each PEM CERTIFICATE block, as Kestrel reads them), and asks
// `openssl x509 -noout -ext tlsfeature` whether each of those is must-staple. A PKCS#12 file is opened as .NET opens it:
// X509CertificateLoader.LoadPkcs12Collection with the empty password ("" and null, which .NET tries with both encodings
// of the empty password) and the legacy password-less import, then with every password in REGRESS_PFX_PASSWORDS
// (comma-separated: a corpus's documented test passwords); the lint is given the same passwords. A file .NET opens
// but the lint calls locked or broken counts as unreadable (pfx-misread).
// Usage: dotnet run build/regress-check.cs -- <corpus-folder>   Prints one line of counts, then one line per finding.
#:project ../src/MustStaple.Core/MustStaple.Core.csproj
#:property PublishAot=false
using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MustStaple.Certificates;
using MustStaple.Discovery;

var root = Path.GetFullPath(args[0]);
var knownPasswords = (Environment.GetEnvironmentVariable("REGRESS_PFX_PASSWORDS") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
int pfxFiles = 0, pfxDotnetOpens = 0, pfxMisread = 0;
var files = AssetDiscovery.Discover([root], [], []).OfKind(AssetKind.Certificate).Select(a => a.Path)
    .Distinct(StringComparer.Ordinal).OrderBy(p => p, StringComparer.Ordinal).ToList();
int crashes = 0, dotnetCertificates = 0, unreadable = 0, disagreements = 0, mustStaple = 0;
var details = new List<string>();
foreach (var path in files)
{
    var bytes = File.ReadAllBytes(path);
    CertificateFile lint;
    try
    {
        lint = CertificateLoader.Parse(path, bytes, CertificateLoader.NeedsPassword(path) ? knownPasswords : []);
    }
    catch (Exception ex)
    {
        crashes++;
        details.Add($"crash: {Path.GetRelativePath(root, path)}: {ex.GetType().Name}: {ex.Message}");
        continue;
    }
    var bySha = lint.Certificates.GroupBy(c => c.Sha256).ToDictionary(g => g.Key, g => g.First());
    if (CertificateLoader.NeedsPassword(path))
    {
        pfxFiles++;
        if (DotNetPkcs12(bytes, knownPasswords) is not { } opened) continue;
        pfxDotnetOpens++;
        if (lint.IsLocked || (lint.Certificates.Count == 0 && opened.Count > 0))
        {
            pfxMisread++;
            unreadable++;
            var why = lint.Problems.Count > 0 ? lint.Problems[0].Message : "no certificate and no problem reported";
            details.Add($"pfx-misread: {Path.GetRelativePath(root, path)}: .NET opens it ({opened.Count} certificates), the lint: {why}");
            continue;
        }
    }
    foreach (var der in CertificateLoader.NeedsPassword(path) ? DotNetPkcs12(bytes, knownPasswords)! : DotNetLoadable(path, bytes))
    {
        dotnetCertificates++;
        var sha = Convert.ToHexStringLower(SHA256.HashData(der));
        var openssl = OpenSslMustStaple(der);
        if (openssl) mustStaple++;
        if (!bySha.TryGetValue(sha, out var info))
        {
            unreadable++;
            var why = lint.Problems.Count > 0 ? lint.Problems[0].Message : "no certificate and no problem reported";
            details.Add($"unreadable: {Path.GetRelativePath(root, path)}: {why}");
            continue;
        }
        if (info.IsMustStaple != openssl)
        {
            disagreements++;
            details.Add($"must-staple: {Path.GetRelativePath(root, path)}: lint {info.IsMustStaple}, openssl {openssl}");
        }
    }
}
Console.WriteLine($"files={files.Count} crashes={crashes} dotnet-loadable={dotnetCertificates} unreadable={unreadable} must-staple={mustStaple} disagreements={disagreements} pfx={pfxFiles} pfx-dotnet-opens={pfxDotnetOpens} pfx-misread={pfxMisread}");
foreach (var d in details) Console.WriteLine("  " + d);

// The certificates of a PKCS#12 file as .NET opens it, or null when .NET opens it with no password tried: the empty
// password as "" and as null (.NET tries both encodings of the empty password, by the MAC), the legacy import with no
// password at all, then each known password.
static List<byte[]>? DotNetPkcs12(byte[] bytes, string[] passwords)
{
    var attempts = new List<Func<X509Certificate2Collection>>
    {
        () => X509CertificateLoader.LoadPkcs12Collection(bytes, ""),
        () => X509CertificateLoader.LoadPkcs12Collection(bytes, null),
#pragma warning disable SYSLIB0057 // the legacy, password-less import is what older code calls
        () => { var c = new X509Certificate2Collection(); c.Import(bytes); return c; },
#pragma warning restore SYSLIB0057
    };
    attempts.AddRange(passwords.Select(p => (Func<X509Certificate2Collection>)(() => X509CertificateLoader.LoadPkcs12Collection(bytes, p))));
    foreach (var attempt in attempts)
    {
        try
        {
            var collection = attempt();
            var ders = collection.Select(c => c.RawData).ToList();
            foreach (var c in collection) c.Dispose();
            return ders;
        }
        catch (CryptographicException)
        {
            // the next password
        }
    }
    return null;
}

// The certificates .NET loads from the file, as Kestrel reads a certificate Path: PEM CERTIFICATE blocks, else DER.
static IEnumerable<byte[]> DotNetLoadable(string path, byte[] bytes)
{
    var ext = Path.GetExtension(path).ToUpperInvariant();
    if (ext is ".PFX" or ".P12" or ".CNF" or ".CSR" or ".REQ") yield break;
    var text = System.Text.Encoding.UTF8.GetString(bytes);
    if (text.Contains("-----BEGIN ", StringComparison.Ordinal))
    {
        var rest = text.AsMemory();
        while (PemEncoding.TryFind(rest.Span, out var fields))
        {
            var label = rest.Span[fields.Label].ToString();
            var base64 = rest.Span[fields.Base64Data].ToString();
            rest = rest[fields.Location.End.Value..];
            if (label != "CERTIFICATE") continue;
            if (Load(Convert.FromBase64String(base64)) is { } der) yield return der;
        }
        yield break;
    }
    if (Load(bytes) is { } single) yield return single;
}

static byte[]? Load(byte[] der)
{
    try
    {
        using var cert = X509CertificateLoader.LoadCertificate(der);
        return cert.RawData;
    }
    catch (CryptographicException)
    {
        return null;
    }
}

static bool OpenSslMustStaple(byte[] der)
{
    var psi = new ProcessStartInfo("openssl", "x509 -inform DER -noout -ext tlsfeature")
    {
        RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
    };
    using var p = Process.Start(psi)!;
    p.StandardInput.BaseStream.Write(der);
    p.StandardInput.Close();
    var output = p.StandardOutput.ReadToEnd();
    p.StandardError.ReadToEnd();
    p.WaitForExit();
    // "TLS Feature:" then one line listing the features: "status_request, status_request_v2".
    return output.Split('\n').SelectMany(l => l.Split(',')).Any(f => f.Trim() == "status_request");
}

#!/usr/bin/env dotnet
// Refreshes src/MustStaple.Core/Data/public-roots.json: the public roots a stock Linux image trusts.
// Source: Debian's ca-certificates package, which is Mozilla's NSS root set for server authentication.
// Usage: apt-get install -y ca-certificates && dotnet run build/refresh-roots.cs [-- /usr/share/ca-certificates/mozilla]
#:package BouncyCastle.Cryptography
#:property PublishAot=false
using System.Text.Json;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Utilities.Encoders;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;

var dir = args.Length > 0 ? args[0] : "/usr/share/ca-certificates/mozilla";
var repo = Path.GetFullPath(Path.Combine(AppContext.GetData("EntryPointFileDirectoryPath") as string ?? "build", ".."));
var dpkg = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("dpkg-query", "-W -f=${Version} ca-certificates") { RedirectStandardOutput = true });
var pkgVersion = dpkg?.StandardOutput.ReadToEnd().Trim();
dpkg?.WaitForExit();

var roots = new List<object>();
foreach (var file in Directory.GetFiles(dir, "*.crt").OrderBy(f => f, StringComparer.Ordinal))
{
    var cert = new X509CertificateParser().ReadCertificate(File.ReadAllBytes(file));
    var skiExt = cert.GetExtensionValue(X509Extensions.SubjectKeyIdentifier);
    var ski = skiExt is null ? null : Hex.ToHexString(SubjectKeyIdentifier.GetInstance(X509ExtensionUtilities.FromExtensionValue(skiExt)).GetKeyIdentifier());
    roots.Add(new
    {
        name = Path.GetFileNameWithoutExtension(file),
        subject = Hex.ToHexString(cert.SubjectDN.GetEncoded()),
        ski,
        notAfter = cert.NotAfter.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
    });
}
var json = JsonSerializer.Serialize(new
{
    description = "Public roots of the Mozilla NSS set (server authentication) as Debian's ca-certificates package ships them: what official .NET container images trust. Subject is the DER-encoded name in hex.",
    source = $"Debian ca-certificates {pkgVersion}",
    generated = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
    roots,
}, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
File.WriteAllText(Path.Combine(repo, "src/MustStaple.Core/Data/public-roots.json"), json.Replace("\r\n", "\n") + "\n");
Console.WriteLine($"{roots.Count} roots written");

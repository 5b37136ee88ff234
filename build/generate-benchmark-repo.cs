#!/usr/bin/env dotnet
// Generates the benchmark repository of PRODUCT.md's performance targets:
// 20,000 files = 2,000 certificates (PEM, CRT, DER, CER, password-protected PFX as OpenSSL 3 writes it), 200 projects
// with appsettings.json referencing 200 of them (40 of each format, PFX with its password), and filler source files.
// Usage: dotnet run build/generate-benchmark-repo.cs -- <output-folder>
#:project ../tests/MustStaple.Testing/MustStaple.Testing.csproj
#:property PublishAot=false
using MustStaple.Testing;

var output = Path.GetFullPath(args.Length > 0 ? args[0] : "benchmark-repo");
if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
Directory.CreateDirectory(Path.Combine(output, ".git"));
var root = new CertificateBuilder("Bench Root").AsCa().Build();
var ca = new CertificateBuilder("Bench Issuing CA").AsCa().IssuedBy(root).Build();
var formats = new[] { "pem", "crt", "der", "cer", "pfx" };
var files = 0;
for (var i = 0; i < 2000; i++)
{
    var b = new CertificateBuilder($"host{i}.bench.invalid").IssuedBy(ca).Ocsp("http://ocsp.bench.invalid");
    if (i % 3 == 0) b = b.MustStaple();
    var leaf = b.Build();
    var dir = Path.Combine(output, "certs", $"group{i % 40:D2}");
    Directory.CreateDirectory(dir);
    var fmt = formats[i % formats.Length];
    var path = Path.Combine(dir, $"cert{i:D4}.{fmt}");
    switch (fmt)
    {
        case "pem": File.WriteAllText(path, TestCertificate.PemChain(leaf, ca)); break;
        case "crt": File.WriteAllText(path, leaf.Pem); break;
        case "pfx": File.WriteAllBytes(path, leaf.ToModernPfx("bench-password", ca)); break; // as openssl pkcs12 -export writes it
        default: File.WriteAllBytes(path, leaf.Der); break;
    }
    files++;
}
for (var p = 0; p < 200; p++)
{
    var dir = Path.Combine(output, "src", $"App{p:D3}");
    Directory.CreateDirectory(dir);
    File.WriteAllText(Path.Combine(dir, $"App{p:D3}.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><PropertyGroup><TargetFramework>net10.0</TargetFramework><RuntimeIdentifier>linux-x64</RuntimeIdentifier></PropertyGroup></Project>\n");
    var cert = p * 10 + p % formats.Length; // every format is referenced, 40 of each
    var fmt = formats[cert % formats.Length];
    File.WriteAllText(Path.Combine(dir, "appsettings.json"),
        $$"""{ "Kestrel": { "Endpoints": { "Https": { "Url": "https://*:443", "Certificate": { "Path": "../../certs/group{{cert % 40:D2}}/cert{{cert:D4}}.{{fmt}}", "Password": "bench-password" } } } } }""");
    files += 2;
    for (var f = 0; f < 88; f++)
    {
        File.WriteAllText(Path.Combine(dir, $"File{f:D2}.cs"), $"namespace App{p:D3};\n\ninternal static class File{f:D2}\n{{\n    public static int Value => {f};\n}}\n");
        files++;
    }
}
Console.WriteLine($"{files} files in {output}");

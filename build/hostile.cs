#!/usr/bin/env dotnet
// Generates hostile repositories (issue 17), one folder per case, each with a normal app beside the attack:
// normal/leaf.pem is a must-staple leaf without an OCSP URL, so every run must still report MST1001 on it.
// Each case folder holds EXPECT: the relative path of the file that must get exactly one MST0001 (empty: none), or
// "path ID" for another ID. A fan-out that reaches a limit only at the issue's sizes expects it only at --scale 1 and up.
//   structural bombs, for every input kind: nesting (nginx, Apache, Caddyfile, Caddy JSON, appsettings JSON, YAML, DER),
//   aliases and merge keys (compose, Kubernetes), includes (nginx, Apache), fan-out (Dockerfile stages, HAProxy crt and
//   crt-list), key derivations (C# literals × locked PFX), links out of the root, forged runner commands;
//   mutations: seeded byte mutations of the bundled samples and of one valid file per kind, all in one repository.
// Sizes are the issue's at --scale 1 (capped where a file would pass the 10 MiB input cap: it is then refused as too large).
// Usage: dotnet run build/hostile.cs -- <output-folder> [--scale N] [--mutations N] [--seed N]
#:project ../tests/MustStaple.Testing/MustStaple.Testing.csproj
#:property PublishAot=false
using System.Text;
using MustStaple.Testing;

var output = Path.GetFullPath(args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "hostile-repos");
double scale = Option("--scale", 1);
var mutations = (int)Option("--mutations", 600);
var seed = (int)Option("--seed", 17);
const int Cap = 10 * 1024 * 1024 - 64; // under the lint's input cap, so the parser (not the size check) meets the bomb
if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
Directory.CreateDirectory(output);
var leafPem = new CertificateBuilder("normal.example").MustStaple().Build().Pem;
// The limits are sized for real repositories, so a scaled-down fan-out may stay under them: then no finding is expected.
string AtFullSize(string path) => scale >= 1 ? path : "";
int N(double issueSize) => Math.Max(1, (int)Math.Round(issueSize * scale));
const string Project = "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>\n";

string Case(string name, string expect)
{
    var dir = Path.Combine(output, name);
    Directory.CreateDirectory(Path.Combine(dir, ".git"));
    Write(dir, "normal/leaf.pem", leafPem);
    Write(dir, "EXPECT", expect);
    return dir;
}

static void Write(string dir, string relative, string text) => WriteBytes(dir, relative, Encoding.UTF8.GetBytes(text));

static void WriteBytes(string dir, string relative, byte[] bytes)
{
    var path = Path.Combine(dir, relative);
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    File.WriteAllBytes(path, bytes);
}

// Appends `unit` until `count` or the cap, whichever comes first.
static StringBuilder Repeat(StringBuilder sb, string unit, int count, int cap = Cap)
{
    for (var i = 0; i < count && sb.Length + unit.Length < cap; i++) sb.Append(unit);
    return sb;
}

// --- nesting, one per parser (the issue: 400,000 levels of nginx) ---
var levels = N(400_000);
string Nest(string open, string close, int n, string head = "", string tail = "")
{
    var sb = new StringBuilder(head);
    var fit = Math.Min(n, (Cap - head.Length - tail.Length) / (open.Length + close.Length));
    Repeat(sb, open, fit);
    Repeat(sb, close, fit);
    return sb.Append(tail).ToString();
}
Write(Case("nest-nginx", "nginx/nginx.conf"), "nginx/nginx.conf", Nest("a{", "}", levels, "http {\n", "}\n"));
Write(Case("nest-apache", "apache2/apache2.conf"), "apache2/apache2.conf", Nest("<a>\n", "</a>\n", levels));
Write(Case("nest-caddyfile", "caddy/Caddyfile"), "caddy/Caddyfile", Nest("a {\n", "}\n", levels));
Write(Case("nest-caddy-json", "caddy/caddy.json"), "caddy/caddy.json", Nest("[", "]", levels));
var nestJson = Case("nest-appsettings", "app/appsettings.json MST0008");
Write(nestJson, "app/app.csproj", Project);
Write(nestJson, "app/appsettings.json", Nest("{\"a\":", "}", levels));
var nestYaml = Case("nest-compose", "app/compose.yaml");
Write(nestYaml, "app/app.csproj", Project);
Write(nestYaml, "app/compose.yaml", Nest("[", "]", levels, "services:\n  web:\n    environment: ", "\n"));
var der = new byte[6 * Math.Min(levels, Cap / 6)];
for (var i = der.Length / 6 - 1; i >= 0; i--)
{
    var length = der.Length - 6 * (i + 1);
    der[6 * i] = 0x30; der[6 * i + 1] = 0x84;
    der[6 * i + 2] = (byte)(length >> 24); der[6 * i + 3] = (byte)(length >> 16); der[6 * i + 4] = (byte)(length >> 8); der[6 * i + 5] = (byte)length;
}
WriteBytes(Case("nest-der", "deep.der"), "deep.der", der);

// --- aliases and merge keys (the issue: 20,000 keys × 20,000 services; 200,000 aliases; 99,000 merge keys) ---
var alias = Case("alias-compose", "app/compose.yaml");
Write(alias, "app/app.csproj", Project);
var compose = Repeat(new StringBuilder("x-env: &e\n"), "", 0);
for (var k = 0; k < N(20_000) && compose.Length < Cap / 2; k++) compose.Append("  K").Append(k).Append(": v\n");
compose.Append("services:\n");
for (var s = 0; s < N(20_000) && compose.Length < Cap - 64; s++) compose.Append("  s").Append(s).Append(":\n    image: x\n    environment: *e\n");
Write(alias, "app/compose.yaml", compose.ToString());
var k8s = Case("alias-kubernetes", AtFullSize("deploy/app.yaml"));
Write(k8s, "app/app.csproj", Project);
Write(k8s, "deploy/app.yaml", Repeat(new StringBuilder("apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - &c\n        name: a\n        image: x\n        env:\n        - name: K\n          value: v\n"),
    "      - *c\n", N(200_000)).ToString());
var merge = Case("merge-keys", AtFullSize("app/compose.yaml"));
Write(merge, "app/app.csproj", Project);
Write(merge, "app/compose.yaml", Repeat(new StringBuilder("x-b: &b { A: v, B: v, C: v, D: v, E: v, F: v }\nservices:\n  web:\n    image: x\n    environment:\n"), "      <<: *b\n", N(99_000)).ToString());

// --- includes: one 9 MiB file included 256 times ---
var big = Repeat(new StringBuilder(), "add_header X v;\n", int.MaxValue, 9 * 1024 * 1024).ToString();
var nginxInc = Case("include-nginx", "nginx/nginx.conf");
Write(nginxInc, "nginx/big.inc", big);
Write(nginxInc, "nginx/nginx.conf", Repeat(new StringBuilder("events {}\nhttp {\n"), "include big.inc;\n", N(256)).Append("}\n").ToString());
var apacheInc = Case("include-apache", "apache2/apache2.conf");
Write(apacheInc, "apache2/big.inc", big.Replace("add_header X v;", "Header set X v"));
Write(apacheInc, "apache2/apache2.conf", Repeat(new StringBuilder(), "Include big.inc\n", N(256)).ToString());

// --- fan-out: Dockerfile stages, HAProxy crt-list folders and crt arguments ---
var docker = Case("fanout-dockerfile", AtFullSize("app/Dockerfile"));
Write(docker, "app/app.csproj", Project);
var dockerfile = new StringBuilder("FROM mcr.microsoft.com/dotnet/aspnet:9.0 AS s0\nCOPY certs/ /certs/\n");
for (var s = 1; s < N(12); s++)
{
    dockerfile.Append("FROM mcr.microsoft.com/dotnet/aspnet:9.0 AS s").Append(s).Append('\n');
    for (var n = 0; n < N(10); n++) dockerfile.Append("COPY --from=s").Append(s - 1).Append(" / /d").Append(n).Append("/\n");
}
Write(docker, "app/Dockerfile", dockerfile.ToString());
Write(docker, "app/certs/readme.txt", "x");
var crtList = Case("fanout-haproxy-crt-list", AtFullSize("haproxy/haproxy.cfg"));
for (var i = 0; i < N(100); i++) Write(crtList, $"haproxy/certs/c{i}.key", "x");
Write(crtList, "haproxy/list.txt", Repeat(new StringBuilder(), "certs/\n", N(10_000)).ToString());
Write(crtList, "haproxy/haproxy.cfg", "frontend f\n  bind :443 ssl crt-list list.txt\n");
var crtArgs = Case("fanout-haproxy-crt", AtFullSize("haproxy/haproxy.cfg"));
Write(crtArgs, "haproxy/site.pem", new CertificateBuilder("site.example").Build().Pem);
Write(crtArgs, "haproxy/haproxy.cfg", Repeat(new StringBuilder("frontend f\n  bind :443 ssl"), " crt site.pem", N(5_000)).Append('\n').ToString());

// --- key derivations: 64 C# literals × 12 locked PFX files of 300,000 iterations ---
var kdf = Case("kdf-code-passwords", "");
Write(kdf, "app/app.csproj", Project);
var code = new StringBuilder("class P { string f = \"app.pfx\";\n");
for (var i = 0; i < 64; i++) code.Append("string s").Append(i).Append(" = \"guess-").Append(i).Append("\";\n");
Write(kdf, "app/Program.cs", code.Append("}\n").ToString());
var slow = PfxWithIterations(new CertificateBuilder("locked.example").Build(), "the-real-one", 300_000);
for (var i = 0; i < N(12); i++) WriteBytes(kdf, $"app/locked{i}.pfx", slow);

// --- links out of the root (POSIX): a CA folder linked to /etc/ssl/certs and copied into the image, a link to / ---
var links = Case("links-outside", "");
Write(links, "app/app.csproj", Project);
Write(links, "app/Dockerfile", "FROM mcr.microsoft.com/dotnet/aspnet:9.0\nCOPY trust/ /usr/local/share/ca-certificates/\n");
Write(links, "app/nginx/nginx.conf", "events {}\nhttp {\n  include ../root/etc/nginx/*.conf;\n}\n");
if (!OperatingSystem.IsWindows())
{
    Directory.CreateSymbolicLink(Path.Combine(links, "app", "trust"), "/etc/ssl/certs");
    Directory.CreateSymbolicLink(Path.Combine(links, "app", "root"), "/");
}

// --- forged runner commands in file names and values, every Unicode white space first ---
var forged = Case("forged-commands", "");
var whiteSpace = Enumerable.Range(0, 0x10000).Select(i => (char)i).Where(char.IsWhiteSpace).Where(c => c is not ('\n' or '\r' or '/' or '\0')).ToArray();
foreach (var ws in whiteSpace)
{
    var name = $"{ws}::error file=x::forged-{(int)ws:X4}";
    Write(forged, $"f{(int)ws:X4}/{name}/leaf.pem", new CertificateBuilder($"{ws}::add-mask::x ##[error]y ##vso[task.complete]z").MustStaple().Build().Pem);
}

// --- mutations: the bundled samples and one valid file per kind, seeded ---
var seeds = new List<(string Name, byte[] Bytes)>();
var samples = Path.Combine(Directory.GetCurrentDirectory(), "samples"); // run from the repository root (build/hostile.sh does)
if (Directory.Exists(samples))
    foreach (var f in Directory.EnumerateFiles(samples, "*", SearchOption.AllDirectories).Where(f => !f.Contains("/bin/") && !f.Contains("/obj/")).OrderBy(f => f, StringComparer.Ordinal))
        seeds.Add((Path.GetRelativePath(samples, f), File.ReadAllBytes(f)));
var pfxSeed = new CertificateBuilder("seed.example").MustStaple().Ocsp("http://ocsp.example").Build();
seeds.Add(("kinds/leaf.pfx", pfxSeed.ToModernPfx("pw")));
seeds.Add(("kinds/leaf.der", pfxSeed.Der));
seeds.Add(("kinds/nginx/nginx.conf", Encoding.UTF8.GetBytes("events {}\nhttp {\n  ssl_stapling on;\n  server {\n    listen 443 ssl;\n    ssl_certificate leaf.pem;\n    ssl_certificate_key leaf.key;\n  }\n}\n")));
seeds.Add(("kinds/apache2/apache2.conf", Encoding.UTF8.GetBytes("SSLStaplingCache shmcb:/tmp/s(128000)\n<VirtualHost *:443>\n  SSLEngine on\n  SSLUseStapling on\n  SSLCertificateFile leaf.pem\n</VirtualHost>\n")));
seeds.Add(("kinds/haproxy/haproxy.cfg", Encoding.UTF8.GetBytes("global\n  crt-base .\nfrontend f\n  bind :443 ssl crt leaf.pem crt-list list.txt\n")));
seeds.Add(("kinds/caddy/Caddyfile", Encoding.UTF8.GetBytes("{\n  ocsp_stapling off\n}\nexample.com {\n  tls leaf.pem leaf.key\n}\n")));
seeds.Add(("kinds/caddy/caddy.json", Encoding.UTF8.GetBytes("{\"apps\":{\"tls\":{\"certificates\":{\"load_files\":[{\"certificate\":\"leaf.pem\",\"key\":\"leaf.key\"}]}}}}")));
seeds.Add(("kinds/app/Dockerfile", Encoding.UTF8.GetBytes("FROM mcr.microsoft.com/dotnet/aspnet:9.0 AS base\nWORKDIR /app\nCOPY certs/ /https/\nENV ASPNETCORE_Kestrel__Certificates__Default__Path=/https/leaf.pem\nFROM base AS final\nCOPY --from=base /https /https2\n")));
seeds.Add(("kinds/app/compose.yaml", Encoding.UTF8.GetBytes("x-e: &e\n  A: b\nservices:\n  web:\n    build: .\n    environment:\n      <<: *e\n      Kestrel__Certificates__Default__Path: /https/leaf.pem\n    volumes:\n      - ./certs:/https:ro\n")));
seeds.Add(("kinds/deploy/app.yaml", Encoding.UTF8.GetBytes("apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n        image: mcr.microsoft.com/dotnet/aspnet:9.0\n        env:\n        - name: Kestrel__Certificates__Default__Path\n          value: /https/leaf.pem\n")));
seeds.Add(("kinds/app/app.csproj", Encoding.UTF8.GetBytes(Project)));
var mutated = Case("mutations", "");
var random = new Random(seed);
for (var i = 0; i < mutations; i++)
{
    var (name, original) = seeds[i % seeds.Count];
    var bytes = original.ToList();
    var edits = 1 + random.Next(8);
    for (var e = 0; e < edits && bytes.Count > 0; e++)
    {
        var at = random.Next(bytes.Count);
        switch (random.Next(6))
        {
            case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;                         // bit flip
            case 1: bytes[at] = (byte)random.Next(256); break;                               // byte replaced
            case 2: bytes.Insert(at, (byte)random.Next(256)); break;                         // byte inserted
            case 3: bytes.RemoveAt(at); break;                                               // byte deleted
            case 4: bytes.RemoveRange(at, bytes.Count - at); break;                          // truncated
            default:                                                                         // a chunk duplicated
                var len = Math.Min(bytes.Count - at, 1 + random.Next(64));
                bytes.InsertRange(at, bytes.GetRange(at, len));
                break;
        }
    }
    WriteBytes(mutated, Path.Combine($"m{i:D3}", name), bytes.ToArray());
}
Console.WriteLine($"hostile repositories in {output} (scale {scale}, {mutations} mutations, seed {seed})");

double Option(string name, double fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
}

// A PKCS#12 whose key derivations ask for `iterations` each, as an attacker commits it (within .NET's per-derivation limit).
static byte[] PfxWithIterations(TestCertificate cert, string password, int iterations)
{
    using var leaf = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(cert.Pem, cert.KeyPem);
    return new System.Security.Cryptography.X509Certificates.X509Certificate2Collection(leaf).ExportPkcs12(
        new System.Security.Cryptography.PbeParameters(System.Security.Cryptography.PbeEncryptionAlgorithm.Aes256Cbc,
            System.Security.Cryptography.HashAlgorithmName.SHA256, iterations), password);
}

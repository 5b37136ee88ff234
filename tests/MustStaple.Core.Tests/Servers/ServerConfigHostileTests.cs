using MustStaple.Rules;
using MustStaple.Testing;

namespace MustStaple.Core.Tests.Servers;

/// <summary>Server configurations from an untrusted pull request: mutated syntax, links and includes out of the root, include loops.</summary>
[TestClass]
public sealed class ServerConfigHostileTests
{
    private static readonly string[] Configs =
    [
        "events {}\nhttp {\n  include conf.d/*.conf;\n  ssl_stapling on;\n  server { listen 443 ssl; server_name \"a b\" 'c'; ssl_certificate ${x}c.pem; ssl_certificate c.pem; ssl_stapling_file o.der; location / { return 200 \"}\"; } }\n}\n",
        "global\n  crt-base .\nfrontend fe\n  bind :443 ssl crt c.pem crt-list l.txt crt ./ alpn h2 # c\n",
        "SSLStaplingCache shmcb:x(1)\n<IfModule ssl>\n<VirtualHost *:443>\n  SSLEngine on\n  SSLUseStapling on\n  SSLCertificateFile \\\n c.pem\n</VirtualHost>\n</IfModule>\nInclude *.conf\n<MDomain a>\nMDStapling on\n</MDomain>\n",
        "{\n  ocsp_stapling off\n}\nhttps://a:1 {\n  tls c.pem k.pem\n  route {\n    respond `x`\n  }\n}\n",
    ];

    private static readonly string[] Names = ["nginx/nginx.conf", "haproxy/haproxy.cfg", "apache2/apache2.conf", "caddy/Caddyfile"];

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public void MutatedServerConfigurations_NeverThrow_AndAlwaysLocateFindings()
    {
        // arrange
        var random = new Random(FuzzSettings.Seed + 4);
        var total = 150 * FuzzSettings.Scale;
        using var r = new ServerRepo();
        foreach (var dir in new[] { "nginx", "haproxy", "apache2", "caddy" })
            r.Pem(dir + "/c.pem", ServerRepo.Leaf, ServerRepo.Intermediate).File(dir + "/o.der", [0x30, 0x80]).File(dir + "/l.txt", "c.pem [x\n");

        // act / assert
        for (var i = 0; i < total; i++)
        {
            for (var k = 0; k < Configs.Length; k++) r.File(Names[k], Mutate(Configs[k], random));
            LintResult result;
            try
            {
                result = r.Lint();
            }
            catch (Exception ex)
            {
                Assert.Fail($"{FuzzSettings.Replay(i)} threw {ex}");
                throw;
            }
            foreach (var d in result.Diagnostics)
                Assert.IsTrue(d.Location.Line >= 1 && d.Location.Column >= 1 && d.Location.EndColumn >= d.Location.Column, $"{FuzzSettings.Replay(i)}: bad region for {d.Id}: {d.Location}");
        }
    }

    [TestMethod]
    public void IncludeThroughALinkOutOfTheRoot_IsRefused_AndTheTargetNeverRead()
    {
        using var outside = new TestFolder();
        outside.Write("secret.conf", "server { listen 443 ssl; ssl_certificate /etc/nginx/c.pem; }\n");
        using var r = new ServerRepo().Pem("nginx/c.pem", ServerRepo.Leaf, ServerRepo.Intermediate)
            .File("nginx/nginx.conf", "events {}\nhttp {\n    include linked/*.conf;\n    include ../../../../../../../../etc/nginx/x.conf;\n}\n");
        Directory.CreateSymbolicLink(r.Path("nginx/linked"), outside.Root);

        var result = r.Lint();

        Assert.IsEmpty(ServerRepo.Of(result, RuleIds.StaplingOff), "the linked file's server block must not be read");
        Assert.HasCount(2, ServerRepo.Of(result, RuleIds.UnreadableInput), string.Join("\n", r.Lines(result)));
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void IncludeLoop_StopsAtTheDepthBound()
    {
        using var r = new ServerRepo().File("nginx/nginx.conf", "events {}\nhttp {\n    include a.conf;\n}\n").File("nginx/a.conf", "include a.conf;\n");

        var d = ServerRepo.Of(r.Lint(), RuleIds.UnreadableInput).Single();

        StringAssert.Contains(d.Message, "nest deeper");
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void HugeDamagedConfigurations_AreReadInOnePass_AndReportABoundedNumberOfProblems()
    {
        // 2 MB each: 200,000 stray braces for nginx, 200,000 continuation lines for Apache
        using var r = new ServerRepo().File("nginx/nginx.conf", string.Concat(Enumerable.Repeat("}\n", 1_000_000)))
            .File("apache2/apache2.conf", "SSLUseStapling \\\n" + string.Concat(Enumerable.Repeat("on \\\n", 400_000)) + "off\n");

        var result = r.Lint();

        Assert.IsLessThanOrEqualTo(2 * 21, ServerRepo.Of(result, RuleIds.UnreadableInput).Count, string.Join("\n", r.Lines(result).Take(5)));
    }

    private static string Mutate(string text, Random random)
    {
        var chars = text.ToCharArray().ToList();
        var alphabet = "{};\"'\\#<>/\n \t$[]`*";
        for (var n = random.Next(1, 6); n > 0; n--)
        {
            var at = random.Next(chars.Count + 1);
            switch (random.Next(3))
            {
                case 0: chars.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                case 1: if (at < chars.Count) chars.RemoveAt(at); break;
                default: if (at < chars.Count) chars[at] = (char)random.Next(0x20, 0x3000); break;
            }
        }
        return new string(chars.ToArray());
    }
}

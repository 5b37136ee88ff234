using MustStaple.Rules;

namespace MustStaple.Core.Tests.Servers;

/// <summary>Server configurations recognised by their content wherever they lie, and read with each server's grammar.</summary>
[TestClass]
public sealed class ServerRecognitionTests
{
    private const string Vhost = "<VirtualHost *:443>\n    ServerName localhost\n    SSLEngine on\n    SSLCertificateFile ssl/site.pem\n</VirtualHost>\n";

    private static string Problems(ServerRepo r, LintResult result) => string.Join("\n", r.Lines(result));

    [TestMethod]
    [DataRow("conf")]
    [DataRow("config")]
    [DataRow("deploy")]
    [DataRow("apache2")]
    public void DebianApacheLayout_AnyFolderName_ReadAsApache_Mst4001(string folder)
    {
        // arrange: apache2.conf includes ports.conf (relative to ServerRoot, the main file's folder) and sites-enabled/
        using var r = new ServerRepo().Pem($"{folder}/ssl/site.pem", ServerRepo.Leaf, ServerRepo.Intermediate)
            .File($"{folder}/apache2.conf", "ServerRoot \"/etc/apache2\"\nInclude ports.conf\nIncludeOptional sites-enabled/*.conf\n")
            .File($"{folder}/ports.conf", "Listen 443\n")
            .File($"{folder}/sites-available/site.conf", Vhost)
            .File($"{folder}/sites-enabled/site.conf", Vhost);

        // act
        var result = r.Lint();

        // assert
        Assert.IsEmpty(ServerRepo.Of(result, RuleIds.UnreadableInput), Problems(r, result));
        var d = ServerRepo.Of(result, RuleIds.StaplingOff).Single();
        r.AssertAt(d, $"{folder}/sites-enabled/site.conf", "ssl/site.pem");
    }

    [TestMethod]
    public void LoneVhostFile_InADeployFolder_ReadAsApacheNotNginx()
    {
        using var r = new ServerRepo().Pem("deploy/ssl/site.pem", ServerRepo.Leaf, ServerRepo.Intermediate)
            .File("deploy/sites-enabled/site.conf", Vhost.Replace("ssl/site.pem", "/etc/apache2/ssl/site.pem", StringComparison.Ordinal));

        var result = r.Lint();

        Assert.IsEmpty(ServerRepo.Of(result, RuleIds.UnreadableInput), Problems(r, result));
        Assert.HasCount(1, ServerRepo.Of(result, RuleIds.StaplingOff), Problems(r, result));
    }

    [TestMethod]
    public void ApacheContent_InAnNginxFolder_ContentDecides()
    {
        using var r = new ServerRepo().Pem("nginx/ssl/site.pem", ServerRepo.Leaf, ServerRepo.Intermediate)
            .File("nginx/site.conf", Vhost.Replace("ssl/site.pem", "/etc/apache2/ssl/site.pem", StringComparison.Ordinal));

        var result = r.Lint();

        Assert.IsEmpty(ServerRepo.Of(result, RuleIds.UnreadableInput), Problems(r, result));
        StringAssert.Contains(ServerRepo.Of(result, RuleIds.StaplingOff).Single().Message, "Apache");
    }

    [TestMethod]
    public void ClosingTagsOnOneLine_AsApacheReadsThem_VhostJudged()
    {
        // apache2 -t: Syntax OK (httpd reads the first word of a closing line; the conditional is transparent to it)
        using var r = new ServerRepo().Pem("conf/ssl/site.pem", ServerRepo.Leaf, ServerRepo.Intermediate)
            .File("conf/apache2.conf", "ServerRoot /etc/apache2\n<IfModule mod_ssl.c>\n" + Vhost.Replace("</VirtualHost>\n", "</VirtualHost> </IfModule>\n", StringComparison.Ordinal));

        var result = r.Lint();

        Assert.IsEmpty(ServerRepo.Of(result, RuleIds.UnreadableInput), Problems(r, result));
        r.AssertAt(ServerRepo.Of(result, RuleIds.StaplingOff).Single(), "conf/apache2.conf", "ssl/site.pem");
    }

    [TestMethod]
    public void UnclosedVirtualHost_StillOneMst0001()
    {
        using var r = new ServerRepo().File("conf/apache2.conf", "ServerRoot /etc/apache2\n<VirtualHost *:443>\nServerName x\n");

        var d = ServerRepo.Of(r.Lint(), RuleIds.UnreadableInput).Single();

        StringAssert.Contains(d.Message, "<VirtualHost> in 'apache2.conf' is never closed");
    }

    [TestMethod]
    public void LuaBlocks_AreOpaque_BracesInStringsAndComments()
    {
        // arrange: OpenResty's *_by_lua_block bodies, with braces nginx would misread in strings, comments and long brackets
        var lua = """
                    access_by_lua_block {
                        local t = { a = "}", b = '{' }  -- a comment with } and {
                        --[[ a long comment }} ]]
                        local s = [==[ ]] } ]==]
                        if t.a then ngx.say("}") end
                    }
                    set_by_lua_block $x { return "}" }
            """;
        using var r = new ServerRepo().Pem("nginx/certs/chain.pem", ServerRepo.Leaf, ServerRepo.Intermediate)
            .File("nginx/nginx.conf", ServerRepo.NginxMain("        ssl_certificate certs/chain.pem;\n" + lua + "\n        location / { return 200; }"));

        // act
        var result = r.Lint();

        // assert
        Assert.IsEmpty(ServerRepo.Of(result, RuleIds.UnreadableInput), Problems(r, result));
        r.AssertAt(ServerRepo.Of(result, RuleIds.StaplingOff).Single(), "nginx/nginx.conf", "certs/chain.pem");
    }

    [TestMethod]
    public void UnclosedLuaBlock_OneMst0001()
    {
        using var r = new ServerRepo().File("nginx/nginx.conf", "events {}\nhttp {\n content_by_lua_block {\n  ngx.say('x')\n");

        var found = ServerRepo.Of(r.Lint(), RuleIds.UnreadableInput);

        StringAssert.Contains(found.Single().Message, "'content_by_lua_block' block");
    }

    [TestMethod]
    public void PackageAndCertbotIncludes_AbsentFromTheRepository_NoFinding()
    {
        var server = """
                    include /etc/letsencrypt/options-ssl-nginx.conf;
                    include snippets/fastcgi-php.conf;
                    include proxy_params;
                    include /etc/nginx/fastcgi_params;
                    ssl_certificate certs/chain.pem;
            """;
        using var r = new ServerRepo().Pem("nginx/certs/chain.pem", ServerRepo.Leaf, ServerRepo.Intermediate)
            .File("nginx/nginx.conf", ServerRepo.NginxMain(server, http: "    include mime.types;\n    include /etc/nginx/modules-enabled/*.conf;"));

        var result = r.Lint();

        Assert.IsEmpty(ServerRepo.Of(result, RuleIds.UnreadableInput), Problems(r, result));
        Assert.HasCount(1, ServerRepo.Of(result, RuleIds.StaplingOff));
    }

    [TestMethod]
    public void CertbotApacheOptions_TurnSslEngineOn_VhostJudged()
    {
        // certbot's options-ssl-apache.conf holds `SSLEngine on`: a vhost that includes it serves TLS
        using var r = new ServerRepo().Pem("apache2/ssl/site.pem", ServerRepo.Leaf, ServerRepo.Intermediate)
            .File("apache2/sites-enabled/site-le-ssl.conf",
                "<IfModule mod_ssl.c>\n<VirtualHost *:443>\n    ServerName localhost\n    Include /etc/letsencrypt/options-ssl-apache.conf\n    SSLCertificateFile /etc/apache2/ssl/site.pem\n</VirtualHost>\n</IfModule>\n");

        var result = r.Lint();

        Assert.IsEmpty(ServerRepo.Of(result, RuleIds.UnreadableInput), Problems(r, result));
        r.AssertAt(ServerRepo.Of(result, RuleIds.StaplingOff).Single(), "apache2/sites-enabled/site-le-ssl.conf", "/etc/apache2/ssl/site.pem");
    }

    [TestMethod]
    public void FilePartlyNginx_IsOneMst0001_NotOnePerLine()
    {
        // a template: nginx directives around lines of another language
        var text = "server {\n    listen 443 ssl;\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"    {{% if x{i} %}} foo{i} {{% endif %}}\n")) + "}\n";
        using var r = new ServerRepo().File("nginx/conf.d/site.conf", text);

        var found = ServerRepo.Of(r.Lint(), RuleIds.UnreadableInput);

        Assert.HasCount(1, found);
        StringAssert.Contains(found[0].Message, "more syntax error");
    }

    [TestMethod]
    [DataRow("supervisord.conf", "[program:web]\ncommand=/usr/bin/web --port 443\n")]
    [DataRow("redis.conf", "bind 127.0.0.1\ntimeout 0\nport 6379\n")]
    [DataRow("app.cfg", "[server]\nhost = example.com\n")]
    [DataRow("fail2ban.conf", "[DEFAULT]\nbantime = 10m\n")]
    [DataRow("nftables.conf", "table inet filter {\n    map dscp-to-priority {\n        type dscp : mark;\n    }\n    chain input {\n        type filter hook input priority 0; policy drop;\n        tcp dport { 80, 443 } accept\n    }\n}\n")]
    public void OtherProgramsConfiguration_Silent(string name, string text)
    {
        using var r = new ServerRepo().File($"config/{name}", text);

        var result = r.Lint();

        Assert.IsEmpty(result.Diagnostics, Problems(r, result));
    }

    // A server's file name in another program's folder (GrapheneOS/infrastructure: etc/syslog-ng/conf.d/nginx.conf routes
    // nginx's logs) is that program's file: not read as the server's, nothing reported.
    [TestMethod]
    [DataRow("etc/syslog-ng/conf.d/nginx.conf", "source s_nginx_access {\n    unix-dgram(\"/run/syslog/nginx-access\" group(\"http\") perm(0660));\n};\n\ndestination d_nginx_access {\n    file(\"/var/log/nginx/access.log\" template(\"${R_ISODATE} ${MESSAGE}\\n\"));\n};\nlog {\n    source(s_nginx_access);\n    destination(d_nginx_access);\n};\n")]
    [DataRow("etc/logrotate.d/haproxy.cfg", "/var/log/haproxy.log {\n    daily\n    rotate 7\n    missingok\n}\n")]
    [DataRow("etc/supervisor/conf.d/nginx.conf", "[program:nginx]\ncommand=/usr/sbin/nginx -g 'daemon off;'\nautorestart=true\n")]
    public void ServerFileName_OtherProgramsContent_Silent(string path, string text)
    {
        using var r = new ServerRepo().File(path, text);

        var result = r.Lint();

        Assert.IsEmpty(result.Diagnostics, Problems(r, result));
    }

    // The other side of that line: a real nginx.conf with a syntax error still is nginx's (one line of it is) and is reported.
    [TestMethod]
    public void NginxConf_WithOneNginxLineAndASyntaxError_StillReported()
    {
        using var r = new ServerRepo().File("web/nginx.conf", "ssl_certificate /etc/ssl/site.pem;\nssl_stapling on\n}\n");

        var result = r.Lint();

        Assert.IsNotEmpty(ServerRepo.Of(result, RuleIds.UnreadableInput), Problems(r, result));
    }

    [TestMethod]
    public void HAProxyAndNginx_UnderAConfigFolder_RecognisedByContent()
    {
        using var r = new ServerRepo().Pem("config/site.pem", ServerRepo.Leaf, ServerRepo.Intermediate)
            .File("config/lb.cfg", "global\n    log stdout format raw local0\ndefaults\n    mode http\nfrontend https\n    bind :443 ssl crt /usr/local/etc/haproxy/site.pem\n    default_backend app\nbackend app\n    server a 127.0.0.1:8080\n")
            .File("config/web.conf", "events {}\nhttp {\n    server {\n        listen 8443 ssl;\n        ssl_certificate site.pem;\n    }\n}\n");

        var result = r.Lint();

        Assert.IsEmpty(ServerRepo.Of(result, RuleIds.UnreadableInput), Problems(r, result));
        var paths = result.Diagnostics.Where(d => d.Id.StartsWith("MST4", StringComparison.Ordinal)).Select(d => Path.GetFileName(d.Location.Path)).ToList();
        CollectionAssert.Contains(paths, "web.conf", Problems(r, result));
        CollectionAssert.Contains(paths, "lb.cfg", Problems(r, result));
    }

    [TestMethod]
    public void SourceBuildAndRelativePackageIncludes_NoFinding()
    {
        using var r = new ServerRepo().File("web/nginx.conf",
            "events {}\nhttp {\n    include /usr/local/nginx/mime.types;\n    include conf/fastcgi_params;\n    include /opt/certbot/options-ssl-nginx.conf;\n}\n");

        var result = r.Lint();

        Assert.IsEmpty(result.Diagnostics, Problems(r, result));
    }

    [TestMethod]
    public void TemplateTwoLevelsBelowTheMain_NotServed_IncludesResolvedAgainstThePrefix()
    {
        // h5bp/server-configs-nginx: conf.d/templates/*.conf are copied into conf.d/ to be enabled; nginx never loads them
        using var r = new ServerRepo().Pem("conf/certs/chain.pem", ServerRepo.Leaf, ServerRepo.Intermediate)
            .File("conf/nginx.conf", "events {}\nhttp {\n    include conf.d/*.conf;\n}\n")
            .File("conf/h5bp/tls.conf", "ssl_certificate certs/chain.pem;\n")
            .File("conf/conf.d/templates/example.com.conf", "server {\n    listen 443 ssl;\n    include h5bp/tls.conf;\n}\n");

        var result = r.Lint();

        Assert.IsEmpty(result.Diagnostics.Where(d => d.Id is "MST0001" or "MST4001"), Problems(r, result));
    }

    [TestMethod]
    public void ExtensionlessDebianSite_ReadAsNginx()
    {
        using var r = new ServerRepo().Pem("deploy/certs/chain.pem", ServerRepo.Leaf, ServerRepo.Intermediate)
            .File("deploy/sites-enabled/default", "server {\n    listen 443 ssl;\n    ssl_certificate /etc/nginx/certs/chain.pem;\n}\n");

        var result = r.Lint();

        Assert.HasCount(1, ServerRepo.Of(result, RuleIds.StaplingOff), Problems(r, result));
    }
}

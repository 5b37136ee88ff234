using MustStaple.Rules;

namespace MustStaple.Core.Tests.Rules;

/// <summary>
/// The analyzer's rules in Core's catalogue. Their behaviour is tested in MustStaple.Analyzers.Tests (which also holds
/// the analyzer's descriptors equal to these); here: the lint, which compiles nothing, never reports them, even for a
/// folder whose Program.cs has the shape.
/// </summary>
internal static class CodeRuleCheck
{
    public static void LintReportsNothing(string id, string program)
    {
        using var dir = new TestFolder();
        dir.Write("Program.cs", program);
        dir.Write("App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\" />");

        var ids = dir.Lint().Diagnostics.Select(d => d.Id).ToList();

        Assert.DoesNotContain(id, ids);
        Assert.AreEqual(1, RuleSet.All.Count(r => r.Rule.Id == id));
    }
}

[TestClass]
public sealed class CodeCertificateUnknownTests
{
    [TestMethod]
    public void StoreCertificateInCode_Lint_ReportsNothing() =>
        CodeRuleCheck.LintReportsNothing("MST0007", "l.UseHttps(new X509Store(StoreName.My).Certificates[0]);");
}

[TestClass]
public sealed class SelectorNeverStaplesTests
{
    [TestMethod]
    public void SelectorInCode_Lint_ReportsNothing() =>
        CodeRuleCheck.LintReportsNothing("MST3007", "o.ServerCertificateSelector = (c, n) => cert;");
}

[TestClass]
public sealed class BareCertificateNeverStaplesTests
{
    [TestMethod]
    public void CallbackInCode_Lint_ReportsNothing() =>
        CodeRuleCheck.LintReportsNothing("MST3008", "new SslServerAuthenticationOptions { ServerCertificate = cert };");
}

[TestClass]
public sealed class OfflineContextNeverStaplesTests
{
    [TestMethod]
    public void OfflineContextInCode_Lint_ReportsNothing() =>
        CodeRuleCheck.LintReportsNothing("MST3009", "SslStreamCertificateContext.Create(cert, null, offline: true);");
}

[TestClass]
public sealed class PerHandshakeContextNeverStaplesTests
{
    [TestMethod]
    public void ContextCreatedInACallback_Lint_ReportsNothing() =>
        CodeRuleCheck.LintReportsNothing("MST3011", "OnConnection = _ => new ValueTask<SslServerAuthenticationOptions>(new SslServerAuthenticationOptions { ServerCertificateContext = SslStreamCertificateContext.Create(cert, chain, offline: false) }),");
}

[TestClass]
public sealed class StaplingSwitchDoesNotHelpTests
{
    [TestMethod]
    public void SwitchInCode_Lint_ReportsNothing() =>
        CodeRuleCheck.LintReportsNothing("MST3010", "AppContext.SetSwitch(\"System.Net.Security.EnableServerOcspStaplingFromOnlyCertificateOnLinux\", true);");
}

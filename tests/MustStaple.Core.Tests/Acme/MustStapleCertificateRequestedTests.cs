using MustStaple.Core.Tests.Servers;
using MustStaple.Rules;

namespace MustStaple.Core.Tests.Acme;

[TestClass]
public sealed class MustStapleCertificateRequestedTests
{
    [TestMethod]
    public void ServerPointingElsewhere_ReportsTheNoteNotTheError()
    {
        using var r = new ServerRepo().File("get-certs",
            "certbot certonly --server https://acme.example.net/directory -d a.example.org --must-staple\n");

        var result = r.Lint();

        Assert.IsEmpty(ServerRepo.Of(result, RuleIds.MustStapleRefusedByCa));
        var d = ServerRepo.Of(result, RuleIds.MustStapleCertificateRequested).Single();
        r.AssertAt(d, "get-certs", "--must-staple");
        Assert.AreEqual(Diagnostics.Severity.Note, d.Severity);
        StringAssert.Contains(d.Message, "https://acme.example.net/directory");
        var (line, column) = r.Find("get-certs", "https://acme.example.net/directory");
        Assert.AreEqual((line, column), (d.RelatedLocations[0].Line, d.RelatedLocations[0].Column));
    }

    [TestMethod]
    public void AcmeShDefault_IsZeroSsl_NotLetsEncrypt()
    {
        using var r = new ServerRepo().File("renew.sh", "acme.sh --issue -d a.example.org -w /var/www --ocsp-must-staple\n");

        var d = ServerRepo.Of(r.Lint(), RuleIds.MustStapleCertificateRequested).Single();

        StringAssert.Contains(d.Message, "ZeroSSL (the acme.sh default)");
        Assert.IsEmpty(ServerRepo.Of(r.Lint(), RuleIds.MustStapleRefusedByCa));
    }

    [TestMethod]
    public void AcmeShSetDefaultCaLetsEncrypt_MakesItAnError()
    {
        using var r = new ServerRepo().File("renew.sh", "acme.sh --set-default-ca --server letsencrypt\nacme.sh --issue -d a.example.org --ocsp-must-staple\n");

        var d = ServerRepo.Of(r.Lint(), RuleIds.MustStapleRefusedByCa).Single();

        r.AssertAt(d, "renew.sh", "--ocsp-must-staple");
    }

    [TestMethod]
    public void BinaryFileWithoutExtension_IsNotReadAsAScript()
    {
        var bytes = new byte[4096];
        var text = System.Text.Encoding.ASCII.GetBytes("certbot certonly -d a.example.org --must-staple\n");
        Array.Copy(text, 0, bytes, 2000, text.Length);
        using var r = new ServerRepo().File("tool", bytes);

        Assert.IsEmpty(r.Lint().Diagnostics);
    }
}

[TestClass]
public sealed class AcmeReaderBoundsTests
{
    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void ContinuationLinesAndSwitchesOnEveryLine_StayBounded()
    {
        // 90,000 continued lines, each with a switch (under the budget's 100,000 lines per file, so the reader's own cap
        // is what holds): the reader interprets at most MaxSwitchesPerFile of them.
        var text = string.Concat(Enumerable.Repeat("certbot certonly --server https://acme.example.net/d -d a.example.org --must-staple \\\n", 90_000));
        using var r = new ServerRepo().File("hostile.sh", text);

        var found = ServerRepo.Of(r.Lint(), RuleIds.MustStapleCertificateRequested);

        Assert.IsLessThanOrEqualTo(256, found.Count);
        Assert.IsNotEmpty(found);
    }

    [TestMethod]
    public void ALimitReached_IsOneMst0001OnTheScript()
    {
        using var r = new ServerRepo().File("renew.sh", string.Concat(Enumerable.Repeat("echo\n", 50)) + "certbot certonly -d a.example.org --must-staple\n");

        var result = r.Folder.Lint(q => new LintRequest
        {
            Paths = q.Paths, Now = q.Now, SourceRoot = q.SourceRoot,
            Limits = new global::MustStaple.Discovery.WorkLimits { PerFile = [global::MustStaple.Discovery.InputFile.MaxSize, 10, 10_000, 1_024, 100_000, 3_000_000] },
        });

        var d = ServerRepo.Of(result, RuleIds.UnreadableInput).Single();
        Assert.AreEqual(r.Path("renew.sh"), d.Location.Path);
        Assert.IsEmpty(ServerRepo.Of(result, RuleIds.MustStapleRefusedByCa));
    }
}

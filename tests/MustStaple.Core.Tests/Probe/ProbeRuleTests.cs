using MustStaple.Diagnostics;
using MustStaple.Probe;
using MustStaple.Rules;
using MustStaple.Testing;
using static MustStaple.Core.Tests.Probe.ProbeScenario;

namespace MustStaple.Core.Tests.Probe;

[TestClass]
public sealed class ProbeStapleMissingTests
{
    [TestMethod]
    public void MustStapleNeverStapled_ReportsMst6001AtTheUrl()
    {
        var result = Judge(Served(1, null), Served(2, null), Served(3, null));

        var d = Single(result, RuleIds.ProbeStapleMissing);
        Assert.AreEqual(Severity.Error, d.Severity);
        StringAssert.Contains(d.Message, "all 3 handshakes (TLSv1.3)");
        StringAssert.Contains(d.Message, "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING");
        Assert.AreEqual(1, result.Diagnostics.Count, Describe(result));
    }

    [TestMethod]
    public void StapledEveryTime_OrNotMustStaple_IsSilent()
    {
        Assert.IsEmpty(Judge(Served(1, GoodStaple()), Served(2, GoodStaple())).Diagnostics);
        Assert.IsEmpty(Judge(Served(1, null, Plain), Served(2, null, Plain)).Diagnostics);
    }

    [TestMethod]
    public void MustStapleWithoutOcspUrl_AlsoReportsMst1001OnTheServedChain()
    {
        var noUrl = new CertificateBuilder("shop.example").MustStaple().IssuedBy(Intermediate).Build();

        var result = Judge(Served(1, null, noUrl));

        Single(result, RuleIds.ProbeStapleMissing);
        Single(result, RuleIds.MustStapleWithoutOcspResponder);
    }
}

[TestClass]
public sealed class ProbeStapleInvalidTests
{
    [TestMethod]
    [DataRow("expired")]
    [DataRow("other")]
    [DataRow("revoked")]
    [DataRow("tryLater")]
    [DataRow("notYetValid")]
    [DataRow("badSignature")]
    public void BadStaple_ReportsMst6002WithTheReason(string kind)
    {
        var staple = kind switch
        {
            "expired" => OcspResponses.For(Leaf, Intermediate, TestClock.Now.AddDays(-2), TestClock.Now.AddDays(-1)),
            "other" => GoodStaple(Other),
            "revoked" => OcspResponses.For(Leaf, Intermediate, TestClock.Now.AddHours(-1), TestClock.Now.AddDays(1), revoked: true),
            "tryLater" => OcspResponses.Unsuccessful(Org.BouncyCastle.Ocsp.OcspRespStatus.TryLater),
            "notYetValid" => OcspResponses.For(Leaf, Intermediate, TestClock.Now.AddHours(1), TestClock.Now.AddDays(1)),
            _ => OcspResponses.For(Leaf, Intermediate, TestClock.Now.AddHours(-1), TestClock.Now.AddDays(1), signer: Root),
        };

        var result = Judge(Served(1, staple), Served(2, staple, version: "TLSv1.2"));

        var d = Single(result, RuleIds.ProbeStapleInvalid);
        Assert.AreEqual(Severity.Error, d.Severity);
        StringAssert.Contains(d.Message, kind switch
        {
            "expired" => "expired at 2026-01-14T00:00:00Z",
            "other" => "for another certificate",
            "revoked" => "status is revoked",
            "tryLater" => "tryLater",
            "notYetValid" => "not valid yet",
            _ => "signature",
        });
        StringAssert.Contains(d.Message, "handshakes 1 and 2 of 2 handshakes, TLSv1.2 and TLSv1.3");
        Assert.IsFalse(result.Diagnostics.Any(x => x.Id == RuleIds.ProbeStapleMissing || x.Id == RuleIds.ProbeStapleExpiresSoon), Describe(result));
    }

    [TestMethod]
    public void ValidStaple_IsSilent_AndAStapleForAPlainCertificateIsNotJudged()
    {
        Assert.IsEmpty(Judge(Served(1, GoodStaple())).Diagnostics);
        Assert.IsEmpty(Judge(Served(1, GoodStaple(Other), Plain)).Diagnostics);
    }

    [TestMethod]
    public void LeafOnlyChain_SignatureJudgedWithTheTrustFile()
    {
        var forged = OcspResponses.For(Leaf, Intermediate, TestClock.Now.AddHours(-1), TestClock.Now.AddDays(1), signer: Root);
        var leafOnly = new HandshakeObservation { Number = 1, Version = "TLSv1.3", Chain = [Leaf.Der], Staple = forged };

        var unknownIssuer = Judge(leafOnly);
        var withTrust = Judge(new ProbeRequest { Targets = [], Now = TestClock.Now, TrustFiles = [System.Text.Encoding.ASCII.GetBytes(Intermediate.Pem)] }, leafOnly);

        Assert.IsFalse(unknownIssuer.Diagnostics.Any(d => d.Id == RuleIds.ProbeStapleInvalid), "without the issuer the signature cannot be judged");
        StringAssert.Contains(Single(withTrust, RuleIds.ProbeStapleInvalid).Message, "signature");
    }
}

[TestClass]
public sealed class ProbeStapleLateTests
{
    [TestMethod]
    public void FirstHandshakeUnstapled_ThenStapled_ReportsMst6003Warning()
    {
        var result = Judge(Served(1, null), Served(2, GoodStaple()), Served(3, GoodStaple()));

        var d = Single(result, RuleIds.ProbeStapleLate);
        Assert.AreEqual(Severity.Warning, d.Severity);
        StringAssert.Contains(d.Message, "on handshakes 2 and 3 but not on handshake 1");
        Assert.AreEqual(1, result.Diagnostics.Count, Describe(result));
    }

    [TestMethod]
    public void StapledEveryTime_OrNever_IsSilent()
    {
        Assert.IsFalse(Judge(Served(1, GoodStaple()), Served(2, GoodStaple())).Diagnostics.Any(d => d.Id == RuleIds.ProbeStapleLate));
        Assert.IsFalse(Judge(Served(1, null), Served(2, null)).Diagnostics.Any(d => d.Id == RuleIds.ProbeStapleLate));
    }

    [TestMethod]
    public void WarnAsError_MakesItAnError_AndNoWarnDropsIt()
    {
        var handshakes = new[] { Served(1, null), Served(2, GoodStaple()) };

        var asError = Judge(new ProbeRequest { Targets = [], Now = TestClock.Now, WarningsAsErrors = [RuleIds.ProbeStapleLate] }, handshakes);
        var dropped = Judge(new ProbeRequest { Targets = [], Now = TestClock.Now, NoWarn = [RuleIds.ProbeStapleLate] }, handshakes);

        Assert.AreEqual(Severity.Error, Single(asError, RuleIds.ProbeStapleLate).Severity);
        Assert.IsEmpty(dropped.Diagnostics);
    }
}

[TestClass]
public sealed class ProbeStapleExpiresSoonTests
{
    [TestMethod]
    public void NextUpdateWithinTheThreshold_ReportsMst6004()
    {
        var result = Judge(Served(1, GoodStaple(left: TimeSpan.FromMinutes(20))));

        var d = Single(result, RuleIds.ProbeStapleExpiresSoon);
        Assert.AreEqual(Severity.Warning, d.Severity);
        StringAssert.Contains(d.Message, "nextUpdate 2026-01-15T00:20:00Z is less than 1 h after 2026-01-15T00:00:00Z");
    }

    [TestMethod]
    public void ShortLivedResponseJustFetched_IsSilent()
    {
        var fresh = OcspResponses.For(Leaf, Intermediate, TestClock.Now.AddMinutes(-1), TestClock.Now.AddMinutes(59));

        Assert.IsEmpty(Judge(Served(1, fresh)).Diagnostics, "59 of its 60 minutes left: the server has just fetched it");
    }

    [TestMethod]
    public void NextUpdateBeyondTheThreshold_IsSilent_AndTheThresholdIsConfigurable()
    {
        var staple = Served(1, OcspResponses.For(Leaf, Intermediate, TestClock.Now.AddDays(-3), TestClock.Now.AddHours(5)));

        Assert.IsEmpty(Judge(staple).Diagnostics);
        Single(Judge(new ProbeRequest { Targets = [], Now = TestClock.Now, MinStapleValidity = TimeSpan.FromDays(1) }, staple), RuleIds.ProbeStapleExpiresSoon);
    }
}

[TestClass]
public sealed class ProbeFailedTests
{
    [TestMethod]
    public void NoHandshakeCompleted_ReportsMst6005WithTheReason_AndNothingElse()
    {
        var result = Judge(Failed(1, "cannot connect to shop.example:443: connection refused"));

        var d = Single(result, RuleIds.ProbeFailed);
        Assert.AreEqual("Could not probe shop.example:443 (no handshake completed): cannot connect to shop.example:443: connection refused", d.Message);
        Assert.AreEqual(0, result.FilesRead, "no endpoint probed: the CLI exits 2");
    }

    [TestMethod]
    public void OneHandshakeOfThreeFailed_ReportsIt_AndJudgesTheOthers()
    {
        var result = Judge(Served(1, GoodStaple()), Failed(2, "the connection ended during the TLS handshake"), Served(3, GoodStaple()));

        StringAssert.Contains(Single(result, RuleIds.ProbeFailed).Message, "(handshake 2 of 3 failed)");
        Assert.AreEqual(1, result.FilesRead);
        Assert.AreEqual(1, result.Diagnostics.Count, Describe(result));
    }

    [TestMethod]
    public void AllHandshakesCompleted_IsSilent() => Assert.IsEmpty(Judge(Served(1, GoodStaple())).Diagnostics);
}

[TestClass]
public sealed class ProbeTargetTests
{
    [TestMethod]
    [DataRow("shop.example", "https://shop.example/", "shop.example", 443, "shop.example")]
    [DataRow("Shop.Example:8443", "https://shop.example:8443/", "shop.example", 8443, "shop.example")]
    [DataRow("https://shop.example/cart?x=1", "https://shop.example/", "shop.example", 443, "shop.example")]
    [DataRow("127.0.0.1:8443", "https://127.0.0.1:8443/", "127.0.0.1", 8443, null)]
    [DataRow("[::1]:8443", "https://[::1]:8443/", "::1", 8443, null)]
    public void Parse_GivesUrlAddressAndSni(string text, string url, string connectHost, int connectPort, string? sni)
    {
        var t = ProbeTarget.Parse(text, null, null, out var error);

        Assert.IsNotNull(t, error);
        Assert.AreEqual(url, t.Url);
        Assert.AreEqual(connectHost, t.ConnectHost);
        Assert.AreEqual(connectPort, t.ConnectPort);
        Assert.AreEqual(sni, t.ServerName);
    }

    [TestMethod]
    public void ConnectToAndSni_ChangeTheAddressAndName_NotTheUrl()
    {
        var t = ProbeTarget.Parse("shop.example", "www.shop.example", "127.0.0.1:9443", out _)!;

        Assert.AreEqual(("https://shop.example/", "127.0.0.1", 9443, "www.shop.example"), (t.Url, t.ConnectHost, t.ConnectPort, t.ServerName));
        Assert.AreEqual("shop.example:443 via 127.0.0.1:9443", t.Display);
    }

    [TestMethod]
    [DataRow("http://shop.example", null)]
    [DataRow("ftp://shop.example", null)]
    [DataRow("https://user:pw@shop.example", null)]
    [DataRow("", null)]
    [DataRow("shop.example", "127.0.0.1")]
    [DataRow("shop.example", "127.0.0.1:99999")]
    public void Parse_RefusesWhatIsNoHttpsTarget(string text, string? connectTo)
    {
        Assert.IsNull(ProbeTarget.Parse(text, null, connectTo, out var error));
        Assert.IsFalse(string.IsNullOrEmpty(error));
    }
}

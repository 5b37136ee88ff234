using MustStaple.Certificates;
using MustStaple.Diagnostics;
using MustStaple.Rules;
using MustStaple.Testing;

namespace MustStaple.Core.Tests.Rules;

/// <summary>The fault boundary covers judging too: one input a rule cannot judge is one MST0001, the rest is judged; dates saturate.</summary>
[TestClass]
public sealed class FaultBoundaryTests
{
    // Reports every certificate file; throws on any file named bad.pem (as a rule meeting a hostile value would).
    private sealed class ThrowsOnBad : IRule
    {
        public DiagnosticDescriptor Rule => MustStapleWithoutOcspResponder.Descriptor;

        public IEnumerable<Diagnostic> Evaluate(LintContext context)
        {
            foreach (var f in context.CertificateFiles)
            {
                if (Path.GetFileName(f.Path) == "bad.pem") throw new ArgumentOutOfRangeException(nameof(context), "un-representable DateTime");
                yield return Diagnostic.Create(Rule, SourceLocation.StartOf(f.Path), f.Path, "has no OCSP URL");
            }
        }
    }

    private static CertificateFile File(string path) => new() { Path = path, Certificates = [], Requests = [], Problems = [] };

    [TestMethod]
    public void RuleThrowingOnOneFile_IsOneMst0001OnIt_AndTheOtherFilesAreJudged()
    {
        // arrange
        var context = new LintContext(TestClock.Now, [File("/r/a.pem"), File("/r/bad.pem"), File("/r/z.pem")], RetiredResponderList.Shipped, sourceRoot: "/r");

        // act
        var findings = RuleBoundary.Evaluate(new ThrowsOnBad(), context);

        // assert
        CollectionAssert.AreEquivalent(new[] { "MST1001 /r/a.pem", "MST1001 /r/z.pem", "MST0001 /r/bad.pem" },
            findings.Select(d => $"{d.Id} {d.Location.Path}").ToArray());
        StringAssert.Contains(findings.Single(d => d.Id == "MST0001").Message, "could not be judged by MST1001");
    }

    [TestMethod]
    public void CertificateValidUntilTheLastInstant_LintsWithoutThrowing_AndOtherFindingsPrint()
    {
        // arrange: notAfter 9999-12-31T23:59:59Z (ValidUntil adds a tick to it) beside a normal must-staple leaf without OCSP
        using var dir = new TestFolder();
        dir.Write("forever.pem", new CertificateBuilder("forever.example").Valid(TestClock.Now.AddDays(-1), new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero)).Build().Pem);
        var leaf = dir.Write("leaf.pem", new CertificateBuilder("normal.example").MustStaple().Build().Pem);

        // act
        var result = dir.Lint();

        // assert
        Assert.AreEqual(leaf, Expect.Single(result, "MST1001").Location.Path);
        Assert.IsNotNull(result.ValidUntil);
    }

    [TestMethod]
    public void ValidUntil_OfACertificateValidToTheLastRepresentableInstant_Saturates()
    {
        // arrange: notAfter 9999-12-31T23:59:59.9999999Z (a GeneralizedTime with a fraction): one tick later is not a date
        var forever = new CertificateInfo
        {
            Origin = SourceLocation.StartOf("/r/forever.pem"), Format = CertificateFormat.Pem, IndexInFile = 0, Subject = "CN=f", Issuer = "CN=f",
            SubjectKey = "", IssuerKey = "", SerialNumber = "1", Sha256 = "", IsCa = false, IsSelfSigned = true,
            NotBefore = TestClock.Now.AddDays(-1), NotAfter = DateTimeOffset.MaxValue, OcspUrls = [], CaIssuerUrls = [],
        };
        var file = new CertificateFile { Path = "/r/forever.pem", Certificates = [forever], Requests = [], Problems = [] };

        // act
        var until = LintResultFacts.ValidUntil(TestClock.Now, [file], new RetiredResponderList([]));

        // assert
        Assert.AreEqual(DateTimeOffset.MaxValue, until);
    }

    [TestMethod]
    public void SaturatingTime_StopsAtTheEndsOfTheRange()
    {
        Assert.AreEqual(DateTimeOffset.MaxValue, SaturatingTime.Add(DateTimeOffset.MaxValue, TimeSpan.FromTicks(1)));
        Assert.AreEqual(DateTimeOffset.MinValue, SaturatingTime.Subtract(DateTimeOffset.MinValue, TimeSpan.FromSeconds(300)));
        Assert.AreEqual(TestClock.Now.AddSeconds(-300), SaturatingTime.Subtract(TestClock.Now, TimeSpan.FromSeconds(300)));
    }
}

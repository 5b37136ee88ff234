using MustStaple.Diagnostics;
using MustStaple.Testing;

namespace MustStaple.Core.Tests;

[TestClass]
public sealed class SmokeTests
{
    [TestMethod]
    public void MustStapleLeafWithoutOcsp_ReportsMst1001()
    {
        // arrange
        using var dir = new TestFolder();
        var leaf = new CertificateBuilder("site").MustStaple().Build();
        dir.Write("leaf.pem", "junk before\n" + leaf.Pem);

        // act
        var result = dir.Lint();

        // assert
        var d = result.Diagnostics.Single();
        Assert.AreEqual("MST1001", d.Id);
        Assert.AreEqual(2, d.Location.Line);
        Assert.AreEqual(Severity.Error, d.Severity);
    }
}

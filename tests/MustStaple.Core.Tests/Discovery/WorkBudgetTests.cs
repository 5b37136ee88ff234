using MustStaple.Discovery;
using MustStaple.Kestrel;

namespace MustStaple.Core.Tests.Discovery;

[TestClass]
public sealed class WorkBudgetTests
{
    private static readonly WorkLimits Small = new()
    {
        PerFile = [100, 10, 10, 10, 10, 10],
        PerRun = [150, 25, 25, 25, 25, 25],
        MaxDepth = 4,
    };

    [TestMethod]
    public void ChargePastThePerFileLimit_ThrowsNamingTheFileAndTheLimit()
    {
        // arrange
        var budget = new WorkBudget(Small);
        budget.Charge("/r/a.yml", WorkKind.Nodes, 10);

        // act
        var ex = Assert.ThrowsExactly<WorkLimitException>(() => budget.Charge("/r/a.yml", WorkKind.Nodes));

        // assert
        Assert.AreEqual("/r/a.yml", ex.Path);
        Assert.AreEqual(WorkKind.Nodes, ex.Kind);
        StringAssert.Contains(ex.Message, "limit of 10 configuration nodes");
        StringAssert.Contains(ex.Message, "per file");
    }

    [TestMethod]
    public void OneFileReadWholeByTwoReaders_IsNotPastThePerFileByteLimit_ButTheRunCountsBothReads()
    {
        // arrange: a compose file of 60 bytes read by the hosting layer and by the ACME reader (per file 100, per run 150)
        var budget = new WorkBudget(Small);
        budget.Charge("/r/compose.yaml", WorkKind.Bytes, 60);

        // act: the second whole read of the same file
        budget.Charge("/r/compose.yaml", WorkKind.Bytes, 60);

        // assert: the run's total holds both reads, so a third reader of another file runs out there
        var ex = Assert.ThrowsExactly<WorkLimitException>(() => budget.Charge("/r/other.pem", WorkKind.Bytes, 60));
        StringAssert.Contains(ex.Message, "for all files together");
    }

    [TestMethod]
    public void ChargesOfSeveralFiles_ReachTheRunLimit_ThenEveryLaterChargeOfThatKindThrows()
    {
        // arrange
        var budget = new WorkBudget(Small);
        budget.Charge("/r/a", WorkKind.Edges, 10);
        budget.Charge("/r/b", WorkKind.Edges, 10);

        // act
        var ex = Assert.ThrowsExactly<WorkLimitException>(() => budget.Charge("/r/c", WorkKind.Edges, 6));
        var later = Assert.ThrowsExactly<WorkLimitException>(() => budget.Charge("/r/d", WorkKind.Edges));

        // assert
        StringAssert.Contains(ex.Message, "the run reached the lint's limit of 25 include and COPY --from edges");
        Assert.AreEqual("/r/d", later.Path);
        Assert.AreEqual(27, budget.Used(WorkKind.Edges));
        Assert.AreEqual(6, budget.Used("/r/c", WorkKind.Edges));
        budget.Charge("/r/d", WorkKind.Nodes); // other kinds are unaffected
    }

    [TestMethod]
    public void Depth_PastTheLimit_Throws_AtTheLimit_DoesNot()
    {
        var budget = new WorkBudget(Small);

        budget.Depth("/r/n.conf", 4);
        var ex = Assert.ThrowsExactly<WorkLimitException>(() => budget.Depth("/r/n.conf", 5));

        StringAssert.Contains(ex.Message, "nests deeper than the lint's limit of 4 levels");
    }

    [TestMethod]
    public void ReadBoundary_TurnsALimitIntoTheFilesFault_WithTheLimitInWords()
    {
        var budget = new WorkBudget(Small);

        var fault = ReadBoundary.Guard("/r/x.yml", "compose file", () => { budget.Charge("/r/x.yml", WorkKind.Mounts, 11); return (LoadError?)null; }, f => f);

        Assert.IsNotNull(fault);
        Assert.AreEqual("/r/x.yml", fault.Location.Path);
        StringAssert.Contains(fault.Message, "limit of 10 container mounts per file");
    }

    [TestMethod]
    public void InputReader_ChargesBytes_AndAFilePastTheLimitIsAProblemNotAThrow()
    {
        // arrange
        using var dir = new TestFolder();
        var small = dir.Write("small.conf", new byte[60]);
        var big = dir.Write("big.conf", new byte[101]);
        var reader = new InputReader(dir.Root, new WorkBudget(Small));

        // act
        var smallBytes = reader.Read(small);
        var bigBytes = reader.Read(big);

        // assert
        Assert.AreEqual(60, smallBytes?.Length);
        Assert.IsNull(bigBytes);
        var problem = reader.Problems.Single();
        Assert.AreEqual(big, problem.Location.Path);
        Assert.AreEqual("MST0001", problem.RuleId);
        StringAssert.Contains(problem.Message, "limit of 100 bytes read per file");
        Assert.AreEqual(161, reader.Budget.Used(WorkKind.Bytes));
    }

    [TestMethod]
    public void ChargesFromManyThreads_AreAllCounted()
    {
        var budget = new WorkBudget(new WorkLimits { PerFile = [long.MaxValue, long.MaxValue, 1, 1, 1, 1], PerRun = [long.MaxValue, long.MaxValue, 1, 1, 1, 1] });

        Parallel.For(0, 10_000, i => budget.Charge("/r/f" + (i % 7), WorkKind.Nodes));

        Assert.AreEqual(10_000, budget.Used(WorkKind.Nodes));
    }
}

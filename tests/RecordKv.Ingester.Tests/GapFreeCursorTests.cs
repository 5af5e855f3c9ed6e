namespace RecordKv.Ingester.Tests;

public sealed class GapFreeCursorTests
{
    [Fact]
    public void Complete_InOrder_AdvancesEachTime()
    {
        var cursor = new GapFreeCursor();
        cursor.Begin(1).ShouldBeTrue();
        cursor.Begin(2).ShouldBeTrue();

        cursor.Complete(1).ShouldBeTrue();
        cursor.Value.ShouldBe(1);
        cursor.Complete(2).ShouldBeTrue();
        cursor.Value.ShouldBe(2);
        cursor.InFlight.ShouldBe(0);
    }

    [Fact]
    public void Complete_OutOfOrder_WaitsForTheOldestInFlight()
    {
        var cursor = new GapFreeCursor(100);
        foreach (var seq in new long[] { 101, 103, 107, 108 })
        {
            cursor.Begin(seq).ShouldBeTrue();
        }

        cursor.Complete(107).ShouldBeFalse();
        cursor.Complete(103).ShouldBeFalse();
        cursor.Value.ShouldBe(100, "101 is still in flight");
        cursor.Complete(101).ShouldBeTrue();
        cursor.Value.ShouldBe(107, "seq numbers may skip: 103 and 107 were the next frames");
        cursor.Complete(108).ShouldBeTrue();
        cursor.Value.ShouldBe(108);
    }

    [Fact]
    public void Complete_RetriedFrameAckedLast_HoldsCursorUntilThen()
    {
        var cursor = new GapFreeCursor();
        for (var seq = 1; seq <= 1000; seq++)
        {
            cursor.Begin(seq);
        }

        for (var seq = 2; seq <= 1000; seq++)
        {
            cursor.Complete(seq);
        }

        cursor.Value.ShouldBe(0);
        cursor.InFlight.ShouldBe(1000);
        cursor.Complete(1).ShouldBeTrue();
        cursor.Value.ShouldBe(1000);
        cursor.InFlight.ShouldBe(0);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(4)]
    public void Begin_NotAboveLastBegun_IsNotTracked(long seq)
    {
        var cursor = new GapFreeCursor(3);
        cursor.Begin(5).ShouldBeTrue();

        cursor.Begin(seq).ShouldBeFalse();
        cursor.InFlight.ShouldBe(1);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(9)]
    [InlineData(6)]
    public void Complete_UnknownOrStaleSeq_ChangesNothing(long seq)
    {
        var cursor = new GapFreeCursor(3);
        cursor.Begin(5);
        cursor.Begin(7);

        cursor.Complete(seq).ShouldBeFalse();
        cursor.Value.ShouldBe(3);
    }

    [Fact]
    public void Complete_Twice_CountsOnce()
    {
        var cursor = new GapFreeCursor();
        cursor.Begin(1);
        cursor.Begin(2);
        cursor.Complete(2).ShouldBeFalse();

        cursor.Complete(2).ShouldBeFalse();
        cursor.Complete(1).ShouldBeTrue();
        cursor.Value.ShouldBe(2);
    }
}

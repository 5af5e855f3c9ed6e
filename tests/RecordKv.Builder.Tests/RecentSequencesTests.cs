namespace RecordKv.Builder.Tests;

public sealed class RecentSequencesTests
{
    [Fact]
    public void Contains_AddedAndEvicted_RemembersOnlyTheLastCapacity()
    {
        var recent = new RecentSequences(3);
        recent.Add(10);
        recent.Add(11);
        recent.Add(12);
        recent.Add(11);

        recent.Add(13);

        recent.Contains(10).ShouldBeFalse();
        recent.Contains(11).ShouldBeTrue();
        recent.Contains(12).ShouldBeTrue();
        recent.Contains(13).ShouldBeTrue();
        recent.Contains(9).ShouldBeFalse();
    }
}

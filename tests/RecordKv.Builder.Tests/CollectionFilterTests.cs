namespace RecordKv.Builder.Tests;

public sealed class CollectionFilterTests
{
    [Theory]
    [InlineData("app.bsky.feed.post", true)]
    [InlineData("app.bsky.graph.follow", true)]
    [InlineData("app.bsky.feed.like", false)]
    [InlineData("com.example.thing", false)]
    public void Includes_ExactAndPrefixEntries_MatchesOnlyListed(string collection, bool expected)
    {
        var filter = new CollectionFilter(["app.bsky.feed.post", "app.bsky.graph.*"]);

        filter.IsAll.ShouldBeFalse();
        filter.Includes(collection).ShouldBe(expected);
    }

    [Fact]
    public void Includes_NoEntries_IncludesEverything()
    {
        var filter = new CollectionFilter([" "]);

        filter.IsAll.ShouldBeTrue();
        filter.Includes("com.example.thing").ShouldBeTrue();
    }
}

using System.Text;

namespace RecordKv.Builder.Tests;

/// <summary>Folding a DID's record index subject: snapshots replace, deltas add and remove, unfinished snapshots do not count.</summary>
public sealed class RecordIndexFoldTests
{
    [Fact]
    public void Apply_SnapshotInTwoChunksThenDeltas_HoldsTheSnapshotWithTheDeltasApplied()
    {
        var fold = new RecordIndexFold();

        fold.Apply(null, Lines("+app.bsky.feed.post/before"));
        fold.Apply("1/2", Lines("+app.bsky.feed.post/a", "+app.bsky.feed.like/b"));
        fold.Apply("2/2", Lines("+app.bsky.graph.follow/c"));
        fold.Apply(null, Lines("+app.bsky.feed.post/d", "-app.bsky.feed.like/b"));

        fold.Paths.Order(StringComparer.Ordinal).ShouldBe(["app.bsky.feed.post/a", "app.bsky.feed.post/d", "app.bsky.graph.follow/c"]);
    }

    [Fact]
    public void Apply_SnapshotWhoseWriterDiedBeforeItsLastChunk_LeavesThePathsBeforeItInForce()
    {
        var fold = new RecordIndexFold();

        fold.Apply(null, Lines("+app.bsky.feed.post/kept"));
        fold.Apply("1/2", Lines("+app.bsky.feed.post/unfinished"));
        fold.Apply(null, Lines("+app.bsky.feed.like/later"));
        fold.Apply("2/2", Lines("+app.bsky.feed.post/orphan"));

        fold.Paths.Order(StringComparer.Ordinal).ShouldBe(["app.bsky.feed.like/later", "app.bsky.feed.post/kept"]);
    }

    [Fact]
    public void Apply_EmptySnapshot_EmptiesTheIndex()
    {
        var fold = new RecordIndexFold();
        fold.Apply(null, Lines("+app.bsky.feed.post/a"));

        fold.Apply("1/1", []);

        fold.Paths.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(null, "app.bsky.feed.post/a")]
    [InlineData("0/1", "+app.bsky.feed.post/a")]
    [InlineData("2/1", "+app.bsky.feed.post/a")]
    [InlineData("one of two", "+app.bsky.feed.post/a")]
    public void Apply_MalformedMessage_ThrowsFormatException(string? header, string body)
    {
        Should.Throw<FormatException>(() => new RecordIndexFold().Apply(header, Encoding.UTF8.GetBytes(body)));
    }

    private static byte[] Lines(params string[] lines) => Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");
}

using RecordKv.Atproto.Blocks;
using RecordKv.Atproto.Mst;

namespace RecordKv.Atproto.Tests.Mst;

public sealed class MerkleSearchTreeTests
{
    // The root of an empty repository, as Bluesky's implementation computes it.
    private const string EmptyTreeCid = "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm";

    [Fact]
    public void RootCid_EmptyTree_IsTheReferenceEmptyNode()
    {
        MerkleSearchTree.Empty.RootCid.ToString().ShouldBe(EmptyTreeCid);
        MerkleSearchTree.Build([]).RootCid.ToString().ShouldBe(EmptyTreeCid);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Add_KeysInShuffledOrder_GivesTheSameRootAsBuild(int seed)
    {
        var keys = MstTestData.Keys(300, seed);
        var expected = MstTestData.Build(keys).RootCid;
        var random = new Random(seed);
        var shuffled = keys.OrderBy(_ => random.Next()).ToList();

        var tree = MerkleSearchTree.Empty;
        foreach (var key in shuffled)
        {
            tree = tree.Add(key, MstTestData.ValueFor(key));
        }

        tree.RootCid.ShouldBe(expected);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void Delete_RandomHalf_GivesTheTreeOfTheRemainingKeys(int seed)
    {
        var keys = MstTestData.Keys(300, seed);
        var random = new Random(seed);
        var deleted = keys.Where(_ => random.Next(2) == 0).ToList();
        var tree = MstTestData.Build(keys);

        foreach (var key in deleted.OrderBy(_ => random.Next()))
        {
            tree = tree.Delete(key);
        }

        tree.RootCid.ShouldBe(MstTestData.Build(keys.Except(deleted)).RootCid);
    }

    [Fact]
    public void Delete_EveryKey_GivesTheEmptyTree()
    {
        var keys = MstTestData.Keys(100, 5);
        var tree = MstTestData.Build(keys);

        foreach (var key in keys)
        {
            tree = tree.Delete(key);
        }

        tree.RootCid.ToString().ShouldBe(EmptyTreeCid);
        tree.Walk().ShouldBeEmpty();
        tree.Add(keys[0], MstTestData.ValueFor(keys[0])).RootCid.ShouldBe(MstTestData.Build([keys[0]]).RootCid);
    }

    [Fact]
    public void TryGet_PresentAndAbsentKeys_FindsExactlyThePresentOnes()
    {
        var keys = MstTestData.Keys(200, 7);
        var tree = MstTestData.Build(keys.Take(100));

        foreach (var key in keys.Take(100))
        {
            tree.TryGet(key, out var value).ShouldBeTrue();
            value.ShouldBe(MstTestData.ValueFor(key));
        }

        foreach (var key in keys.Skip(100))
        {
            tree.Get(key).ShouldBeNull();
        }
    }

    [Fact]
    public void Update_ExistingKey_ChangesOnlyThatValue()
    {
        var keys = MstTestData.Keys(50, 8);
        var tree = MstTestData.Build(keys);
        var other = MstTestData.Value(-1);

        var updated = tree.Update(keys[10], other);

        updated.Get(keys[10]).ShouldBe(other);
        updated.RootCid.ShouldNotBe(tree.RootCid);
        updated.Update(keys[10], MstTestData.ValueFor(keys[10])).RootCid.ShouldBe(tree.RootCid);
        tree.Put(keys[10], other).RootCid.ShouldBe(updated.RootCid);
        tree.Put(keys[10], MstTestData.ValueFor(keys[10])).ShouldBeSameAs(tree);
    }

    [Fact]
    public void Edits_KeyStateMismatch_ThrowMstKeyException()
    {
        var keys = MstTestData.Keys(20, 9);
        var tree = MstTestData.Build(keys.Take(10));

        Should.Throw<MstKeyException>(() => tree.Add(keys[0], MstTestData.Value(1))).Key.ShouldBe(keys[0]);
        Should.Throw<MstKeyException>(() => tree.Delete(keys[15])).Key.ShouldBe(keys[15]);
        Should.Throw<MstKeyException>(() => tree.Update(keys[15], MstTestData.Value(1))).Key.ShouldBe(keys[15]);
        Should.Throw<MstKeyException>(() => tree.Add("not a key", MstTestData.Value(1)));
    }

    [Fact]
    public void Build_UnsortedOrDuplicateKeys_ThrowsMstKeyException()
    {
        var value = MstTestData.Value(1);

        Should.Throw<MstKeyException>(() => MerkleSearchTree.Build([new MstLeaf("b/1", value), new MstLeaf("a/1", value)]));
        Should.Throw<MstKeyException>(() => MerkleSearchTree.Build([new MstLeaf("a/1", value), new MstLeaf("a/1", value)]));
    }

    [Fact]
    public void Walk_BuiltTree_YieldsEveryKeyInOrder()
    {
        var keys = MstTestData.Keys(500, 10);
        var tree = MstTestData.Build(keys);

        var walked = tree.Walk().ToList();

        walked.Select(l => l.Key).ShouldBe(keys.Order(StringComparer.Ordinal));
        walked.ShouldAllBe(l => l.Value == MstTestData.ValueFor(l.Key));
    }

    [Theory]
    [InlineData("app.bsky.feed.like/")]
    [InlineData("app.bsky.feed.post/")]
    [InlineData("app.bsky.graph.follow/")]
    [InlineData("app.bsky.feed.post/3")]
    [InlineData("app.bsky.nothing/")]
    public void WalkPrefix_Collection_YieldsExactlyItsKeysInOrder(string prefix)
    {
        var keys = MstTestData.Keys(500, 11);
        var tree = MstTestData.Build(keys);

        var walked = tree.WalkPrefix(prefix).Select(l => l.Key).ToList();

        walked.ShouldBe(keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void WalkFrom_EveryKeyAndBetween_StartsAtTheLowerBound()
    {
        var keys = MstTestData.Keys(200, 12).Order(StringComparer.Ordinal).ToList();
        var tree = MstTestData.Build(keys);

        for (var i = 0; i < keys.Count; i += 7)
        {
            tree.WalkFrom(keys[i]).Select(l => l.Key).ShouldBe(keys.Skip(i));
            tree.WalkFrom(keys[i] + "0").Select(l => l.Key).ShouldBe(keys.Skip(i + 1));
        }
    }

    [Fact]
    public void Load_WrittenBlocks_GivesTheSameTree()
    {
        var keys = MstTestData.Keys(400, 13);
        var tree = MstTestData.Build(keys);
        var blocks = new BlockMap();

        var written = tree.WriteBlocks(blocks);
        var loaded = MerkleSearchTree.Load(tree.RootCid, blocks);

        written.ShouldBe(blocks.Count);
        loaded.LoadAll().ShouldBe(blocks.Count);
        loaded.RootCid.ShouldBe(tree.RootCid);
        loaded.Walk().ShouldBe(tree.Walk());
        foreach (var (cid, block) in blocks)
        {
            cid.Matches(block.Span).ShouldBeTrue();
        }

        // Edits on the loaded tree agree with edits on the built one.
        var extra = MstTestData.Keys(410, 13).Except(keys).First();
        loaded.Add(extra, MstTestData.Value(3)).RootCid.ShouldBe(tree.Add(extra, MstTestData.Value(3)).RootCid);
        loaded.Delete(keys[5]).RootCid.ShouldBe(tree.Delete(keys[5]).RootCid);
    }

    [Fact]
    public void TryGet_PartialTree_ReadsPresentPathsAndNamesTheMissingNode()
    {
        var keys = MstTestData.Keys(300, 14);
        var tree = MstTestData.Build(keys);
        var blocks = new BlockMap();
        tree.WriteBlocks(blocks);
        var first = tree.Walk().First().Key;
        var pathToFirst = MstProof.ForCommit(tree, [MstOperation.Delete(first, MstTestData.Value(0))]);
        var partial = MerkleSearchTree.Load(tree.RootCid, pathToFirst);

        partial.Get(first).ShouldBe(MstTestData.ValueFor(first));
        var error = Should.Throw<MstMissingBlockException>(() => partial.Walk().ToList());
        blocks.Contains(error.Cid).ShouldBeTrue();
        pathToFirst.Contains(error.Cid).ShouldBeFalse();
    }

    [Fact]
    public void Load_EmptySource_ThrowsMissingBlockForTheRoot()
    {
        var root = MstTestData.Build(MstTestData.Keys(5, 15)).RootCid;
        var tree = MerkleSearchTree.Load(root, new BlockMap());

        Should.Throw<MstMissingBlockException>(() => tree.Get("a/b")).Cid.ShouldBe(root);
        tree.RootCid.ShouldBe(root);
    }

    [Fact]
    public void WriteBlocks_TargetHoldsOldTree_AddsOnlyChangedNodes()
    {
        var keys = MstTestData.Keys(400, 16);
        var tree = MstTestData.Build(keys);
        var blocks = new BlockMap();
        tree.WriteBlocks(blocks);
        var before = blocks.Count;

        var added = tree.Delete(keys[3]).WriteBlocks(blocks);

        added.ShouldBeGreaterThan(0);
        added.ShouldBeLessThan(12);
        blocks.Count.ShouldBe(before + added);
    }
}

using RecordKv.Atproto.Blocks;
using RecordKv.Atproto.Mst;

namespace RecordKv.Atproto.Tests.Mst;

public sealed class MstDiffTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Compute_RandomEdits_EqualsTheNaiveDiff(int seed)
    {
        var random = new Random(seed);
        var keys = MstTestData.Keys(400, seed);
        var before = MstTestData.Build(keys.Take(300));
        var after = before;
        var expected = new SortedDictionary<string, MstChange>(StringComparer.Ordinal);
        foreach (var key in keys.Take(300).Where(_ => random.Next(10) == 0))
        {
            after = after.Delete(key);
            expected[key] = new MstChange(key, MstTestData.ValueFor(key), null);
        }

        foreach (var key in keys.Take(300).Where(k => !expected.ContainsKey(k) && random.Next(10) == 0))
        {
            var value = MstTestData.Value(random.Next());
            after = after.Update(key, value);
            expected[key] = new MstChange(key, MstTestData.ValueFor(key), value);
        }

        foreach (var key in keys.Skip(300).Where(_ => random.Next(3) == 0))
        {
            after = after.Add(key, MstTestData.ValueFor(key));
            expected[key] = new MstChange(key, null, MstTestData.ValueFor(key));
        }

        MstDiff.Compute(before, after).ShouldBe(expected.Values);
        MstDiff.Compute(after, before).ShouldBe(expected.Values.Select(c => new MstChange(c.Key, c.After, c.Before)));
    }

    [Fact]
    public void Compute_FromAndToEmpty_ListsEveryKey()
    {
        var tree = MstTestData.Build(MstTestData.Keys(100, 5));

        var created = MstDiff.Compute(MerkleSearchTree.Empty, tree);
        var deleted = MstDiff.Compute(tree, MerkleSearchTree.Empty);

        created.Select(c => c.Key).ShouldBe(tree.Walk().Select(l => l.Key));
        created.ShouldAllBe(c => c.Kind == MstChangeKind.Create);
        deleted.ShouldAllBe(c => c.Kind == MstChangeKind.Delete);
        deleted.Count.ShouldBe(100);
        MstDiff.Compute(tree, tree).ShouldBeEmpty();
    }

    [Fact]
    public void Compute_LoadedTreesSharingSubtrees_OpensOnlyTheChangedNodes()
    {
        // The new tree's blocks hold only its changed nodes: shared subtrees must be skipped by CID, never opened.
        var keys = MstTestData.Keys(2000, 6);
        var before = MstTestData.Build(keys);
        var after = before.Delete(keys[100]).Add("app.bsky.feed.like/zzzzzzzzzzzzz", MstTestData.Value(7));
        var oldBlocks = new BlockMap();
        before.WriteBlocks(oldBlocks);
        var newBlocks = new BlockMap();
        after.WriteBlocks(newBlocks);
        var changedOnly = new BlockMap();
        foreach (var (cid, block) in newBlocks)
        {
            if (!oldBlocks.Contains(cid))
            {
                changedOnly.Add(cid, block);
            }
        }

        var oldRecording = new RecordingBlockSource(oldBlocks);
        var changes = MstDiff.Compute(MerkleSearchTree.Load(before.RootCid, oldRecording), MerkleSearchTree.Load(after.RootCid, changedOnly));

        changes.Count.ShouldBe(2);
        changes.ShouldContain(new MstChange(keys[100], MstTestData.ValueFor(keys[100]), null));
        oldRecording.Read.Count.ShouldBeLessThan(oldBlocks.Count / 20);
    }
}

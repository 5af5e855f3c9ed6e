using RecordKv.Atproto.Blocks;
using RecordKv.Atproto.Cids;
using RecordKv.Atproto.Mst;

namespace RecordKv.Atproto.Tests.Mst;

public sealed class MstNodeMutationTests
{
    [Fact]
    public void Walk_EveryByteFlippedOrTruncatedInARootNode_FailsOnlyWithMstErrors()
    {
        var tree = MstTestData.Build(MstTestData.Keys(200, 30));
        var blocks = new BlockMap();
        tree.WriteBlocks(blocks);
        blocks.TryGet(tree.RootCid, out var rootBlock).ShouldBeTrue();
        var original = rootBlock.ToArray();
        var outcomes = new Dictionary<string, int>();

        for (var length = 0; length < original.Length; length++)
        {
            Record(outcomes, Attempt(blocks, tree.RootCid, original[..length]));
        }

        for (var i = 0; i < original.Length; i++)
        {
            foreach (var flip in (byte[])[0x01, 0x80, 0xff])
            {
                var mutated = (byte[])original.Clone();
                mutated[i] ^= flip;
                Record(outcomes, Attempt(blocks, tree.RootCid, mutated));
            }
        }

        outcomes.Keys.ShouldBeSubsetOf(["ok", nameof(MstFormatException), nameof(MstMissingBlockException)]);
        outcomes[nameof(MstFormatException)].ShouldBeGreaterThan(original.Length);
    }

    private static string Attempt(BlockMap source, Cid originalRoot, byte[] block)
    {
        var blocks = new BlockMap();
        blocks.AddAll(source);
        blocks.Remove(originalRoot);
        var root = blocks.AddDagCbor(block);
        try
        {
            MerkleSearchTree.Load(root, blocks).LoadAll();
            return "ok";
        }
        catch (MstException e)
        {
            return e.GetType().Name;
        }
    }

    private static void Record(Dictionary<string, int> outcomes, string outcome) =>
        outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
}

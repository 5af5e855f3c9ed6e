using RecordKv.Atproto.Blocks;
using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Mst;

/// <summary>
/// Produces the MST part of a sync 1.1 commit's blocks: for every operation's key, the "covering proof" in the new
/// tree — the nodes on the path down to the key's position and on the paths to its nearest neighbours on both
/// sides. That is what Bluesky's reference implementation puts in a commit, and it holds every node a consumer needs
/// to invert the operations (<see cref="MstInversion"/>) and recompute the previous root.
/// </summary>
public static class MstProof
{
    /// <summary>The proof nodes for <paramref name="operations"/> whose result is the tree rooted at <paramref name="afterRoot"/>.</summary>
    /// <param name="afterBlocks">Blocks holding (at least) the new tree's nodes the proof needs.</param>
    /// <param name="afterRoot">The root CID of the tree after the commit.</param>
    /// <param name="operations">The commit's operations.</param>
    /// <exception cref="MstMissingBlockException">A node is missing from <paramref name="afterBlocks"/>.</exception>
    public static BlockMap ForCommit(IBlockSource afterBlocks, Cid afterRoot, IReadOnlyList<MstOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(afterBlocks);
        return ForCommit(MerkleSearchTree.Load(afterRoot, afterBlocks), operations);
    }

    /// <summary>The proof nodes for <paramref name="operations"/> whose result is <paramref name="after"/> (built or edited in memory, or loaded).</summary>
    public static BlockMap ForCommit(MerkleSearchTree after, IReadOnlyList<MstOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(operations);
        var proof = new BlockMap();
        foreach (var operation in operations)
        {
            AddCoveringProof(after, operation.Key, proof);
        }

        return proof;
    }

    /// <summary>Adds the nodes that prove <paramref name="key"/>'s value (or absence) and its neighbours in <paramref name="tree"/>.</summary>
    public static void AddCoveringProof(MerkleSearchTree tree, string key, BlockMap proof)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(proof);

        // The nodes on the key's path are in the proof. Where a node holds the key itself, the path forks towards the
        // neighbours: the greatest smaller key is at the right edge of the subtree just before it, the least greater
        // key at the left edge of the subtree just after it. Without the key, the neighbours lie on the path itself.
        for (MstNode? node = tree.Root; node is not null;)
        {
            node = node.Open(tree.Source);
            proof.Add(node.Cid, node.GetBlock());
            var index = node.LowerBound(key);
            var entries = node.Entries;
            if (index < entries.Length && entries[index].Key == key)
            {
                AddEdge(tree, node.GetSlot(index), rightEdge: true, proof);
                AddEdge(tree, entries[index].Right, rightEdge: false, proof);
                return;
            }

            node = node.GetSlot(index);
        }
    }

    // Every node down one edge of a subtree: its last slot at each level, or its first.
    private static void AddEdge(MerkleSearchTree tree, MstNode? subtree, bool rightEdge, BlockMap proof)
    {
        for (var node = subtree; node is not null;)
        {
            node = node.Open(tree.Source);
            proof.Add(node.Cid, node.GetBlock());
            node = rightEdge ? node.GetSlot(node.Entries.Length) : node.Left;
        }
    }
}

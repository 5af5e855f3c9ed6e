using RecordKv.Atproto.Blocks;
using RecordKv.Atproto.Cids;
using RecordKv.Atproto.Mst;

namespace RecordKv.Atproto.Repo;

public sealed partial class Repository
{
    /// <summary>Checks a repository given as the CAR's roots and blocks (already hashed against their CIDs).</summary>
    /// <exception cref="RepositoryFormatException">The roots, commit, MST or a record is missing or invalid.</exception>
    public static Repository FromBlocks(IReadOnlyList<Cid> roots, BlockMap blocks)
    {
        ArgumentNullException.ThrowIfNull(roots);
        ArgumentNullException.ThrowIfNull(blocks);
        if (roots.Count == 0)
        {
            throw new RepositoryFormatException("The CAR header names no root; a repository export's first root is its commit.");
        }

        // Extra roots have no defined meaning yet (repository spec); the first is the commit.
        var commitCid = roots[0];
        if (!blocks.TryGet(commitCid, out var commitBlock))
        {
            throw new RepositoryFormatException($"The commit block {commitCid} named as root is not in the CAR.");
        }

        var commit = Commit.Decode(commitBlock);
        if (!blocks.Contains(commit.Data))
        {
            throw new RepositoryFormatException($"The MST root {commit.Data} named by the commit's data is not in the CAR.");
        }

        MerkleSearchTree tree;
        int nodeCount;
        var leaves = new List<MstLeaf>();
        try
        {
            tree = MerkleSearchTree.Load(commit.Data, blocks);
            nodeCount = tree.LoadAll();
            foreach (var leaf in tree.Walk())
            {
                leaves.Add(leaf);
            }
        }
        catch (MstMissingBlockException exception)
        {
            throw new RepositoryFormatException($"The MST under data {commit.Data} is incomplete: node {exception.Cid} is not in the CAR.", exception);
        }
        catch (MstException exception)
        {
            throw new RepositoryFormatException($"The MST under data {commit.Data} is invalid: {exception.Message}", exception);
        }

        // Re-building the tree from its keys proves the loaded shape is the canonical one for this content.
        var rebuilt = MerkleSearchTree.Build(leaves).RootCid;
        if (rebuilt != commit.Data)
        {
            throw new RepositoryFormatException($"The MST is not canonical: its keys build to root {rebuilt}, not to the commit's data {commit.Data}.");
        }

        var records = new RepositoryRecord[leaves.Count];
        var distinctRecords = new HashSet<Cid>();
        for (var i = 0; i < leaves.Count; i++)
        {
            var leaf = leaves[i];
            if (!blocks.TryGet(leaf.Value, out var data))
            {
                throw new RepositoryFormatException($"Record {leaf.Key} links block {leaf.Value}, which is not in the CAR.");
            }

            var slash = leaf.Key.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || slash == leaf.Key.Length - 1 || leaf.Key.IndexOf('/', slash + 1) >= 0)
            {
                throw new RepositoryFormatException($"MST key '{leaf.Key}' is not a record path collection/rkey.");
            }

            records[i] = new RepositoryRecord(leaf.Key[..slash], leaf.Key[(slash + 1)..], leaf.Value, data);
            distinctRecords.Add(leaf.Value);
        }

        // Records, MST nodes and the commit are different kinds of blocks, so their CIDs cannot coincide.
        var reachable = 1 + nodeCount + distinctRecords.Count;
        return new Repository(commitCid, commit, records, blocks, nodeCount, reachable);
    }
}

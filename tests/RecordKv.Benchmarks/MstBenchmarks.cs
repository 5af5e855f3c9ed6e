using System.Text;
using BenchmarkDotNet.Attributes;
using RecordKv.Atproto.Blocks;
using RecordKv.Atproto.Cids;
using RecordKv.Atproto.Mst;

namespace RecordKv.Benchmarks;

/// <summary>The Merkle search tree on a 10k-record repository: build, edit, commit-proof inversion, diff, load.</summary>
[MemoryDiagnoser]
public class MstBenchmarks
{
    private const int KeyCount = 10_000;
    private const string TidAlphabet = "234567abcdefghijklmnopqrstuvwxyz";
    private static readonly string[] Collections = ["app.bsky.feed.like", "app.bsky.feed.post", "app.bsky.graph.follow", "app.bsky.feed.repost"];

    private MstLeaf[] _leaves = [];
    private MerkleSearchTree _tree = MerkleSearchTree.Empty;
    private BlockMap _treeBlocks = new();
    private string _newKey = string.Empty;
    private string _existingKey = string.Empty;
    private Cid _newValue;

    private List<MstOperation> _oneOpCommit = [];
    private Cid _oneOpRoot;
    private BlockMap _oneOpProof = new();

    private List<MstOperation> _threeOpCommit = [];
    private Cid _threeOpRoot;
    private BlockMap _threeOpProof = new();
    private MerkleSearchTree _threeOpAfter = MerkleSearchTree.Empty;

    private MerkleSearchTree _tenChanges = MerkleSearchTree.Empty;
    private BlockMap _tenChangesBlocks = new();

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        while (keys.Count < KeyCount + 20)
        {
            keys.Add(RandomKey(random));
        }

        var all = keys.ToList();
        var extra = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var index = random.Next(all.Count);
            extra.Add(all[index]);
            all.RemoveAt(index);
        }

        _leaves = all.Select((k, i) => new MstLeaf(k, Value(i))).ToArray();
        _tree = MerkleSearchTree.Build(_leaves);
        _ = _tree.RootCid;
        _tree.WriteBlocks(_treeBlocks);
        _newKey = extra[0];
        _existingKey = all[KeyCount / 2];
        _newValue = Value(-1);

        // A like: one create.
        _oneOpCommit = [MstOperation.Create(extra[1], Value(-2))];
        (_oneOpRoot, _oneOpProof) = Commit(_tree, _oneOpCommit, out _);

        // A typical multi-op commit: a create, an update and a delete.
        _threeOpCommit =
        [
            MstOperation.Create(extra[2], Value(-3)),
            MstOperation.Update(all[100], Value(-4), Value(100)),
            MstOperation.Delete(all[7000], Value(7000)),
        ];
        (_threeOpRoot, _threeOpProof) = Commit(_tree, _threeOpCommit, out _threeOpAfter);

        _tenChanges = _tree;
        for (var i = 0; i < 5; i++)
        {
            _tenChanges = _tenChanges.Add(extra[10 + i], Value(-10 - i)).Delete(all[(i * 1900) + 3]);
        }

        _ = _tenChanges.RootCid;
        _tenChanges.WriteBlocks(_tenChangesBlocks);
    }

    [Benchmark(Description = "Build 10k keys + root CID")]
    public Cid Build() => MerkleSearchTree.Build(_leaves).RootCid;

    [Benchmark(Description = "Add 1 key to 10k + root CID")]
    public Cid Add() => _tree.Add(_newKey, _newValue).RootCid;

    [Benchmark(Description = "Delete 1 key from 10k + root CID")]
    public Cid Delete() => _tree.Delete(_existingKey).RootCid;

    [Benchmark(Description = "Invert 1-op commit from proof blocks")]
    public Cid InvertOneOp() => MstInversion.Invert(MerkleSearchTree.Load(_oneOpRoot, _oneOpProof), _oneOpCommit).RootCid;

    [Benchmark(Description = "Invert 3-op commit from proof blocks")]
    public Cid InvertThreeOps() => MstInversion.Invert(MerkleSearchTree.Load(_threeOpRoot, _threeOpProof), _threeOpCommit).RootCid;

    [Benchmark(Description = "Proof blocks for 3-op commit")]
    public int ProveThreeOps() => MstProof.ForCommit(_threeOpAfter, _threeOpCommit).Count;

    [Benchmark(Description = "Diff 10k vs 10k with 10 changes (loaded)")]
    public int DiffLoaded() =>
        MstDiff.Compute(MerkleSearchTree.Load(_tree.RootCid, _treeBlocks), MerkleSearchTree.Load(_tenChanges.RootCid, _tenChangesBlocks)).Count;

    [Benchmark(Description = "Load + walk 10k keys from blocks")]
    public int LoadAndWalk()
    {
        var count = 0;
        foreach (var _ in MerkleSearchTree.Load(_tree.RootCid, _treeBlocks).Walk())
        {
            count++;
        }

        return count;
    }

    private static (Cid Root, BlockMap Proof) Commit(MerkleSearchTree before, List<MstOperation> operations, out MerkleSearchTree after)
    {
        after = before;
        foreach (var operation in operations)
        {
            after = after.Apply(operation);
        }

        return (after.RootCid, MstProof.ForCommit(after, operations));
    }

    private static Cid Value(int n) => Cid.ForDagCbor(Encoding.UTF8.GetBytes($"record {n}"));

    private static string RandomKey(Random random)
    {
        Span<char> rkey = stackalloc char[13];
        for (var i = 0; i < rkey.Length; i++)
        {
            rkey[i] = TidAlphabet[random.Next(i == 0 ? 16 : TidAlphabet.Length)];
        }

        return $"{Collections[random.Next(Collections.Length)]}/{rkey}";
    }
}

using System.Buffers;
using BenchmarkDotNet.Attributes;
using RecordKv.Atproto.Blocks;
using RecordKv.Atproto.Cbor;
using RecordKv.Atproto.Cids;
using RecordKv.Atproto.Crypto;
using RecordKv.Atproto.Firehose;
using RecordKv.Atproto.Mst;
using RecordKv.Atproto.Repo;

namespace RecordKv.Benchmarks;

/// <summary>
/// Full sync 1.1 verification of a typical <c>#commit</c> frame (decode frame, parse CAR slice, k256 signature,
/// invert the ops on the partial MST, compare prevData) against a repository of 10,000 records.
/// </summary>
[MemoryDiagnoser]
public class CommitVerificationBenchmarks
{
    private const string Did = "did:plc:benchmark234567abcdefghij";
    private readonly CommitVerifier _verifier = new();
    private byte[] _frame = [];
    private AtprotoPublicKey _publicKey = null!;
    private RepoChainState _stored;

    /// <summary>Operations per commit: 1 (a like) or 3 (create, update, delete).</summary>
    [Params(1, 3)]
    public int Operations { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var key = AtprotoPrivateKey.FromSeed(KeyAlgorithm.K256, "commit verification benchmark");
        _publicKey = key.PublicKey;
        var leaves = new List<MstLeaf>();
        for (var i = 0; i < 10_000; i++)
        {
            leaves.Add(new MstLeaf($"app.bsky.feed.like/3lhh{i:D8}2", Record($"like {i}").Cid));
        }

        leaves.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        var before = MerkleSearchTree.Build(leaves);
        var (createdCid, created) = Record("new like");
        var (updatedCid, updated) = Record("edited like");
        var ops = new List<RepoOperation> { new(RepoAction.Create, "app.bsky.feed.like/3lhhzzzzzzzz2", createdCid, null) };
        var records = new BlockMap();
        records.Add(createdCid, created);
        if (Operations == 3)
        {
            ops.Add(new RepoOperation(RepoAction.Update, leaves[5000].Key, updatedCid, leaves[5000].Value));
            ops.Add(new RepoOperation(RepoAction.Delete, leaves[2500].Key, null, leaves[2500].Value));
            records.Add(updatedCid, updated);
        }

        var mstOps = ops.Select(o => o.Action switch
        {
            RepoAction.Create => MstOperation.Create(o.Path, o.Cid!.Value),
            RepoAction.Update => MstOperation.Update(o.Path, o.Cid!.Value, o.Prev!.Value),
            _ => MstOperation.Delete(o.Path, o.Prev!.Value),
        }).ToArray();
        var after = before;
        foreach (var op in mstOps)
        {
            after = after.Apply(op);
        }

        var blocks = MstProof.ForCommit(after, mstOps);
        blocks.AddAll(records);
        var commit = Commit.Create(Did, after.RootCid, "3lhhxj2222222", key);
        var commitEvent = CommitEventFactory.CreateCommit(commit, ops, blocks, 1_000_000, "3lhhxizu5wr2d", before.RootCid, "2025-02-06T01:43:22.273Z");
        _frame = FirehoseFrame.Encode(commitEvent);
        _stored = new RepoChainState("3lhhxizu5wr2d", before.RootCid);
        if (!Verify().IsValid)
        {
            throw new InvalidOperationException("The benchmark commit does not verify.");
        }
    }

    [Benchmark]
    public FirehoseEvent DecodeFrame() => FirehoseFrame.Decode(_frame);

    [Benchmark]
    public CommitVerificationResult VerifyWithoutSignature() =>
        _verifier.VerifyWithoutSignature((CommitEvent)FirehoseFrame.Decode(_frame), _stored);

    [Benchmark(Baseline = true)]
    public CommitVerificationResult Verify() =>
        _verifier.Verify((CommitEvent)FirehoseFrame.Decode(_frame), _publicKey, _stored);

    private static (Cid Cid, byte[] Data) Record(string text)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new DagCborWriter(buffer);
        writer.WriteMapHeader(3);
        writer.WriteText("$type"u8);
        writer.WriteText("app.bsky.feed.like"u8);
        writer.WriteText("subject"u8);
        writer.WriteText(text);
        writer.WriteText("createdAt"u8);
        writer.WriteText("2025-02-06T01:43:22.273Z"u8);
        var data = buffer.WrittenSpan.ToArray();
        return (Cid.ForDagCbor(data), data);
    }
}

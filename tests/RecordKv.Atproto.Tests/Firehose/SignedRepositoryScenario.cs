using System.Buffers;
using RecordKv.Atproto.Blocks;
using RecordKv.Atproto.Cbor;
using RecordKv.Atproto.Cids;
using RecordKv.Atproto.Crypto;
using RecordKv.Atproto.Firehose;
using RecordKv.Atproto.Mst;
using RecordKv.Atproto.Repo;

namespace RecordKv.Atproto.Tests.Firehose;

/// <summary>A repository built with our MST and keys, and a follow-up commit with a sync 1.1 proof, for round-trip tests.</summary>
internal sealed class SignedRepositoryScenario
{
    public const string Did = "did:plc:roundtrip7abcdefghijklmn";
    public const string FirstRev = "3lhhxizu5wr2d";
    public const string SecondRev = "3lhhxj2222222";
    public const string Time = "2025-02-06T01:43:22.273Z";

    public SignedRepositoryScenario(KeyAlgorithm algorithm = KeyAlgorithm.K256, int recordCount = 60)
    {
        Key = AtprotoPrivateKey.FromSeed(algorithm, "recordkv repo round trip");
        var leaves = new List<MstLeaf>();
        for (var i = 0; i < recordCount; i++)
        {
            var (cid, data) = Record($"post {i}");
            RecordBlocks.Add(cid, data);
            leaves.Add(new MstLeaf($"app.bsky.feed.post/3lhhx{i:D4}aaaa2", cid));
        }

        leaves.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        Before = MerkleSearchTree.Build(leaves);
        FirstCommit = Commit.Create(Did, Before.RootCid, FirstRev, Key);

        var (createdCid, created) = Record("a new post");
        var (updatedCid, updated) = Record("an edited post");
        var updatedKey = leaves[recordCount / 2].Key;
        var deletedKey = leaves[recordCount / 3].Key;
        Ops =
        [
            new RepoOperation(RepoAction.Create, "app.bsky.feed.post/3lhhxzzzzzzz2", createdCid, null),
            new RepoOperation(RepoAction.Update, updatedKey, updatedCid, leaves[recordCount / 2].Value),
            new RepoOperation(RepoAction.Delete, deletedKey, null, leaves[recordCount / 3].Value),
        ];
        MstOps =
        [
            MstOperation.Create(Ops[0].Path, createdCid),
            MstOperation.Update(Ops[1].Path, updatedCid, Ops[1].Prev!.Value),
            MstOperation.Delete(Ops[2].Path, Ops[2].Prev!.Value),
        ];
        var after = Before;
        foreach (var op in MstOps)
        {
            after = after.Apply(op);
        }

        After = after;
        Proof = MstProof.ForCommit(After, MstOps);
        NewRecords = new BlockMap();
        NewRecords.Add(createdCid, created);
        NewRecords.Add(updatedCid, updated);
        SecondCommit = Commit.Create(Did, After.RootCid, SecondRev, Key);
    }

    public AtprotoPrivateKey Key { get; }

    public BlockMap RecordBlocks { get; } = new();

    public MerkleSearchTree Before { get; }

    public MerkleSearchTree After { get; }

    public Commit FirstCommit { get; }

    public Commit SecondCommit { get; }

    public RepoOperation[] Ops { get; }

    public MstOperation[] MstOps { get; }

    public BlockMap Proof { get; }

    public BlockMap NewRecords { get; }

    public RepoChainState StoredAfterFirst => new(FirstRev, Before.RootCid);

    public byte[] FirstRepositoryCar()
    {
        var blocks = new BlockMap();
        Before.WriteBlocks(blocks);
        blocks.AddAll(RecordBlocks);
        return CommitEventFactory.WriteRepositoryCar(FirstCommit, blocks);
    }

    public CommitEvent SecondCommitEvent(Commit? commit = null, Func<BlockMap, BlockMap>? editBlocks = null, Cid? prevData = null)
    {
        var blocks = new BlockMap();
        blocks.AddAll(Proof);
        blocks.AddAll(NewRecords);
        if (editBlocks is not null)
        {
            blocks = editBlocks(blocks);
        }

        return CommitEventFactory.CreateCommit(commit ?? SecondCommit, Ops, blocks, 42, FirstRev, prevData ?? Before.RootCid, Time);
    }

    public static (Cid Cid, byte[] Data) Record(string text)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new DagCborWriter(buffer);
        writer.WriteMapHeader(3);
        writer.WriteText("text"u8);
        writer.WriteText(text);
        writer.WriteText("$type"u8);
        writer.WriteText("app.bsky.feed.post"u8);
        writer.WriteText("createdAt"u8);
        writer.WriteText("2025-02-06T01:43:22.273Z"u8);
        var data = buffer.WrittenSpan.ToArray();
        return (Cid.ForDagCbor(data), data);
    }
}

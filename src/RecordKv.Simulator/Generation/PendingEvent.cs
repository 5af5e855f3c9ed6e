using RecordKv.Atproto.Cids;
using RecordKv.Atproto.Firehose;
using RecordKv.Atproto.Mst;

namespace RecordKv.Simulator.Generation;

/// <summary>
/// One generated event on its way to the firehose. The generator fills in everything that depends on earlier
/// events (seq, state, operations, proof); signing and frame encoding depend on nothing else, so they run in
/// parallel across a batch (<see cref="EventFinalizer"/>), and the publisher emits the frames in seq order.
/// </summary>
internal sealed class PendingEvent
{
    public required PendingEventKind Kind { get; init; }

    public required SimAccount Account { get; init; }

    /// <summary>The frame's seq; -1 for a commit that is applied but never emitted (prevdata-gap fault).</summary>
    public long Seq { get; init; } = -1;

    public required string Time { get; init; }

    /// <summary>The account state to publish when this event is emitted (null: no state change).</summary>
    public AccountState? After { get; set; }

    public SimulatorFault? Fault { get; init; }

    /// <summary>The event a stale-rev or duplicate frame repeats.</summary>
    public PendingEvent? Source { get; init; }

    public byte[]? UnsignedCommit { get; init; }

    public Cid Data { get; init; }

    public Cid? PrevData { get; init; }

    public string? Rev { get; init; }

    public string? Since { get; init; }

    public List<RepoOperation> Ops { get; init; } = [];

    public List<(Cid Cid, ReadOnlyMemory<byte> Block)> RecordBlocks { get; init; } = [];

    /// <summary>The tree after the commit, every node already hashed, so that the finalizer can read its proof nodes on any thread.</summary>
    public MerkleSearchTree? Tree { get; init; }

    /// <summary>The MST operations whose covering proof goes into the commit's CAR.</summary>
    public List<MstOperation> MstOperations { get; init; } = [];

    public string? Handle { get; init; }

    public bool Active { get; init; }

    public string? StatusText { get; init; }

    public bool IsEmitted => Seq >= 0;

    // Filled by the finalizer.

    /// <summary>The emitted #commit (what the stale-rev fault re-sends under a new seq).</summary>
    public CommitEvent? CommitEvent { get; set; }

    public byte[]? Frame { get; set; }
}

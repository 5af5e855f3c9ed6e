using System.Collections.Immutable;
using RecordKv.Atproto.Cids;
using RecordKv.Atproto.Mst;
using RecordKv.Atproto.Repo;
using RecordKv.Simulator.Encoding;

namespace RecordKv.Simulator.Generation;

/// <summary>
/// One immutable version of an account: identity, status, repository tree, records and signed commit. The
/// generator derives the next version from the previous one; the HTTP endpoints read the published one without
/// locks (a reference swap), so getRepo, the DID documents and the firehose always agree.
/// </summary>
internal sealed record AccountState
{
    public required string Did { get; init; }

    public required string Handle { get; init; }

    public required SimSigner Signer { get; init; }

    public required AccountStatus Status { get; init; }

    public required MerkleSearchTree Tree { get; init; }

    public required ImmutableSortedDictionary<string, StoredRecord> Records { get; init; }

    public required string Rev { get; init; }

    /// <summary>The signed commit's CID (default until the commit is signed).</summary>
    public Cid CommitCid { get; init; }

    /// <summary>The signed commit (null until the commit is signed).</summary>
    public Commit? Commit { get; init; }

    public bool IsActive => Status == AccountStatus.Active;

    public string? StatusText => Status switch
    {
        AccountStatus.Active => null,
        AccountStatus.Deactivated => "deactivated",
        AccountStatus.Takendown => "takendown",
        _ => "deleted",
    };
}

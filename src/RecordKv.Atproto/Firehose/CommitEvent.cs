using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Firehose;

/// <summary>A <c>#commit</c> event: a new signed commit of a repository, with the CAR slice of the diff.</summary>
public sealed record CommitEvent : FirehoseEvent
{
    /// <summary>The header type of this event.</summary>
    public const string TypeName = "#commit";

    /// <inheritdoc />
    public override string? Type => TypeName;

    /// <summary>The stream sequence number.</summary>
    public required long Seq { get; init; }

    /// <summary>Deprecated and unused; kept so a re-encoded frame says the same.</summary>
    public bool Rebase { get; init; }

    /// <summary>Deprecated; producers set it to false and consumers ignore it.</summary>
    public bool TooBig { get; init; }

    /// <summary>The DID of the repository.</summary>
    public required string Repo { get; init; }

    /// <summary>The CID of the commit block inside <see cref="Blocks"/>.</summary>
    public required Cid Commit { get; init; }

    /// <summary>The revision (TID) of the commit.</summary>
    public required string Rev { get; init; }

    /// <summary>The revision of the previous commit of this repository, if any.</summary>
    public string? Since { get; init; }

    /// <summary>The CAR slice (a slice of the frame when decoded, not a copy).</summary>
    public required ReadOnlyMemory<byte> Blocks { get; init; }

    /// <summary>The record operations of the commit.</summary>
    public required IReadOnlyList<RepoOperation> Ops { get; init; }

    /// <summary>Deprecated list of blob CIDs; producers set it empty.</summary>
    public IReadOnlyList<Cid> Blobs { get; init; } = [];

    /// <summary>The MST root of the previous commit (sync 1.1); <c>null</c> on legacy events.</summary>
    public Cid? PrevData { get; init; }

    /// <summary>When the event was broadcast (informal, not authoritative).</summary>
    public required string Time { get; init; }
}

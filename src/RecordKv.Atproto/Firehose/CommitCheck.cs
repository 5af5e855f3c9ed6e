namespace RecordKv.Atproto.Firehose;

/// <summary>The sync 1.1 checks of a <c>#commit</c> event, in the order <see cref="CommitVerifier"/> runs them.</summary>
public enum CommitCheck
{
    /// <summary>No check failed.</summary>
    None,

    /// <summary>The event exceeds a size limit (blocks bytes, ops count, record size).</summary>
    Limits,

    /// <summary>The event's own fields are malformed (rev not a TID, repo not a DID).</summary>
    EventFields,

    /// <summary>The <c>blocks</c> CAR slice is malformed or a block does not hash to its CID.</summary>
    Car,

    /// <summary>The commit block is missing, is not the CAR root, or is not a valid commit object.</summary>
    CommitBlock,

    /// <summary>The commit's <c>did</c> differs from the event's <c>repo</c>.</summary>
    Did,

    /// <summary>The commit's version is not 3.</summary>
    Version,

    /// <summary>The commit's <c>rev</c> differs from the event's <c>rev</c>.</summary>
    Rev,

    /// <summary>The revision is not greater than the stored revision: an old or replayed event, to be ignored.</summary>
    RevOrder,

    /// <summary>The revision's timestamp is later than now plus the allowed clock drift.</summary>
    FutureRev,

    /// <summary>The signature does not verify with the account's signing key (or is high-S).</summary>
    Signature,

    /// <summary>An operation is malformed: bad path, wrong fields for its action, or a duplicate path.</summary>
    Operations,

    /// <summary>A created or updated record's block is missing from the CAR slice.</summary>
    RecordBlocks,

    /// <summary>Inverting the operations on the partial MST failed or did not give <c>prevData</c>.</summary>
    Inversion,

    /// <summary>The commit is valid but does not follow the stored state (<c>prevData</c> differs from the stored <c>data</c>): the chain is broken.</summary>
    PrevData,
}

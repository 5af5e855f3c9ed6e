namespace RecordKv.Builder;

/// <summary>What the builder does with a <c>#commit</c> (or <c>#sync</c>) that passed its stateless verification, given the stored state.</summary>
internal enum CommitDecision
{
    /// <summary>Apply it: records, then the repo state.</summary>
    Apply,

    /// <summary>Its rev is not above one this DID already showed on the stream: a replay (stale-rev event, duplicate frame); skipped.</summary>
    Replay,

    /// <summary>The repo state is past it (a resync already carried the repository beyond it, or a redelivery); skipped.</summary>
    Behind,

    /// <summary>The store cannot follow it without the whole repository (desynchronized, or first seen mid-history): resync first.</summary>
    ResyncFirst,

    /// <summary>Its <c>prevData</c> is not the stored <c>data</c>: the chain is broken, the repository is resynced.</summary>
    ChainBroken,

    /// <summary>It follows the stored state but is signed only by a superseded key: rejected, never applied.</summary>
    RejectSupersededKey,
}

namespace RecordKv.Simulator.Generation;

/// <summary>What a generated event becomes on the firehose.</summary>
internal enum PendingEventKind
{
    Commit,
    Sync,
    Identity,
    Account,
    Unknown,

    /// <summary>An earlier commit of the account, re-encoded under a new seq (stale-rev fault).</summary>
    StaleCommit,

    /// <summary>The previous frame again, same bytes and seq (duplicate-frame fault).</summary>
    Duplicate,
}

using Microsoft.Extensions.Logging;

namespace RecordKv.Builder;

/// <summary>The builder's log messages (event ids 6000–6099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6000, Level = LogLevel.Warning, Message = "Rejected {Event} of {Did} at seq {Seq}: {Check} ({Reason})")]
    public static partial void EventRejected(ILogger logger, string @event, string did, long seq, string check, string? reason);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Partition {Partition}: consuming {Consumer}")]
    public static partial void PartitionStarted(ILogger logger, int partition, string consumer);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Partition {Partition}: stopped")]
    public static partial void PartitionStopped(ILogger logger, int partition);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Partition {Partition}: consumer failed, restarting")]
    public static partial void PartitionFailed(ILogger logger, int partition, Exception exception);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Information, Message = "Resync of {Did} ({Reason}): {Records} records, {Deletes} deletes, rev {Rev}")]
    public static partial void Resynced(ILogger logger, string did, string reason, int records, int deletes, string? rev);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Warning, Message = "Resync of {Did} failed: {Reason}")]
    public static partial void ResyncFailed(ILogger logger, string did, string reason);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Debug, Message = "Resolved {Did}: PDS {Pds} (refresh {Refresh})")]
    public static partial void IdentityResolved(ILogger logger, string did, string? pds, bool refresh);

    [LoggerMessage(EventId = 6007, Level = LogLevel.Debug, Message = "GET {Uri} attempt {Attempt} failed ({Error}); retrying in {Delay}")]
    public static partial void HttpRetry(ILogger logger, Uri uri, int attempt, TimeSpan delay, string? error);

    [LoggerMessage(EventId = 6008, Level = LogLevel.Error, Message = "Processing seq {Seq} of {Did} failed; it will be redelivered")]
    public static partial void ProcessingFailed(ILogger logger, long seq, string did, Exception exception);

    [LoggerMessage(EventId = 6009, Level = LogLevel.Information, Message = "Account {Did} is {Status}: {Removed} records removed")]
    public static partial void AccountHidden(ILogger logger, string did, string status, int removed);

    [LoggerMessage(EventId = 6010, Level = LogLevel.Information, Message = "Builder {InstanceId} started: {Partitions}")]
    public static partial void BuilderStarted(ILogger logger, string instanceId, string partitions);

    [LoggerMessage(EventId = 6011, Level = LogLevel.Information, Message = "Partition {Partition}: lease lost, stopping its consumer")]
    public static partial void PartitionLost(ILogger logger, int partition);

    [LoggerMessage(EventId = 6012, Level = LogLevel.Information, Message = "Gap in the stream for {Did} at seq {Seq}: since {Since}, but the previous event seen had rev {Previous}")]
    public static partial void GapDetected(ILogger logger, string did, long seq, string? since, string? previous);

    [LoggerMessage(EventId = 6013, Level = LogLevel.Information, Message = "Resync of {Did} failed; retry {Attempt} in {Delay}")]
    public static partial void ResyncRetryScheduled(ILogger logger, string did, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 6014, Level = LogLevel.Warning, Message = "Partition {Partition}: the repo state of {Did} changed under this builder (another writer got there first); restarting the partition from the stored states")]
    public static partial void RepoStateConflict(ILogger logger, int partition, string did);

    [LoggerMessage(EventId = 6015, Level = LogLevel.Warning, Message = "Partition {Partition}: events still being processed {DrainTimeout} after the stop were cancelled")]
    public static partial void PartitionDrainCancelled(ILogger logger, int partition, TimeSpan drainTimeout);

    [LoggerMessage(EventId = 6090, Level = LogLevel.Warning, Message = "Partition leases not released while stopping ({Error}); they expire after the lease TTL instead")]
    public static partial void LeaseReleaseAbandoned(ILogger logger, string error);

}

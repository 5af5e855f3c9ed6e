using Microsoft.Extensions.Logging;

namespace RecordKv.Coordination;

/// <summary>The coordination log messages (event ids 5000–5099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Acquired lease {Key} as {Holder} (revision {Revision})")]
    public static partial void LeaseAcquired(ILogger logger, string key, string holder, ulong revision);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Lease {Key} is held by {Holder}; standing by")]
    public static partial void LeaseWaiting(ILogger logger, string key, string holder);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Lost lease {Key} held as {Holder}")]
    public static partial void LeaseLost(ILogger logger, string key, string holder);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Released lease {Key} held as {Holder}")]
    public static partial void LeaseReleased(ILogger logger, string key, string holder);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Releasing lease {Key} failed; it will expire")]
    public static partial void LeaseReleaseFailed(ILogger logger, string key, Exception error);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "Renewing lease {Key} failed; retrying")]
    public static partial void LeaseRenewFailed(ILogger logger, string key, Exception error);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Information, Message = "Member {Member} gained partition {Partition} (share {Share} of {Members} members)")]
    public static partial void PartitionGained(ILogger logger, string member, int partition, int share, int members);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Information, Message = "Member {Member} gave up partition {Partition} ({Reason})")]
    public static partial void PartitionLost(ILogger logger, string member, int partition, string reason);

    [LoggerMessage(EventId = 5013, Level = LogLevel.Information, Message = "Member {Member} is giving up partition {Partition} (rebalancing): keeping its lease until its work has stopped")]
    public static partial void PartitionStopping(ILogger logger, string member, int partition);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Warning, Message = "Partition lease round of member {Member} failed; retrying")]
    public static partial void PartitionRoundFailed(ILogger logger, string member, Exception error);

    [LoggerMessage(EventId = 5020, Level = LogLevel.Information, Message = "Created stream {Stream} (subjects {Subjects}, max message size {MaxMsgSize} bytes)")]
    public static partial void StreamCreated(ILogger logger, string stream, string subjects, int maxMsgSize);

    [LoggerMessage(EventId = 5021, Level = LogLevel.Information, Message = "Raised the max message size of stream {Stream} to {MaxMsgSize} bytes")]
    public static partial void StreamUpdated(ILogger logger, string stream, int maxMsgSize);

    [LoggerMessage(EventId = 5022, Level = LogLevel.Information, Message = "Store bound: stream {Stream}, {Partitions} partitions, control bucket {Control}")]
    public static partial void StoreBound(ILogger logger, string stream, int partitions, string control);
}

using Microsoft.Extensions.Logging;

namespace RecordKv.LikeIndexer;

/// <summary>The like indexer's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Like indexer started: consumer group {Consumer}, index bucket {Bucket}, sharing partitions {Share}")]
    public static partial void Started(ILogger logger, string consumer, string bucket, bool share);

    [LoggerMessage(2, LogLevel.Information, "{Applied} like changes applied")]
    public static partial void Progress(ILogger logger, long applied);

    [LoggerMessage(3, LogLevel.Information, "Like indexer stopped after {Applied} like changes")]
    public static partial void Stopped(ILogger logger, long applied);
}

using Microsoft.Extensions.Logging;

namespace RecordKv.Builder;

/// <summary>The backfill worker's log messages (event ids 6080–6099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6080, Level = LogLevel.Information, Message = "Backfill partition {Partition}: consuming {Consumer}")]
    public static partial void BackfillPartitionStarted(ILogger logger, int partition, string consumer);

    [LoggerMessage(EventId = 6081, Level = LogLevel.Warning, Message = "Backfill partition {Partition}: consumer failed, restarting")]
    public static partial void BackfillPartitionFailed(ILogger logger, int partition, Exception exception);

    [LoggerMessage(EventId = 6082, Level = LogLevel.Debug, Message = "Backfill of {Did} (run {Run}): {Outcome}, {Records} records, {Deletes} deletes")]
    public static partial void BackfillJobDone(ILogger logger, string did, string run, BackfillOutcome outcome, int records, int deletes);

    [LoggerMessage(EventId = 6083, Level = LogLevel.Warning, Message = "Backfill of {Did} (run {Run}) failed: {Reason}")]
    public static partial void BackfillJobFailed(ILogger logger, string did, string run, string? reason);

    [LoggerMessage(EventId = 6084, Level = LogLevel.Error, Message = "Backfill job {Subject} could not run; it will be redelivered")]
    public static partial void BackfillJobError(ILogger logger, string subject, Exception exception);

    [LoggerMessage(EventId = 6085, Level = LogLevel.Warning, Message = "Backfill job {Subject} is not a job; dropped: {Reason}")]
    public static partial void BackfillJobMalformed(ILogger logger, string subject, string reason);

    [LoggerMessage(EventId = 6086, Level = LogLevel.Warning, Message = "Backfill progress could not be written")]
    public static partial void BackfillProgressFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6087, Level = LogLevel.Information, Message = "Backfill partition {Partition}: paused, {Pending} live events pending")]
    public static partial void BackfillPaused(ILogger logger, int partition, long pending);
}

using Microsoft.Extensions.Logging;

namespace RecordKv.Ingester;

/// <summary>The ingester's log messages (event ids 6000–6099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "Leading ingestion from {Host} as {Instance}, starting after cursor {Cursor}")]
    public static partial void Leading(ILogger logger, string host, string instance, string cursor);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Connected to {Url}")]
    public static partial void Connected(ILogger logger, Uri url);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Relay connection to {Url} ended after {Frames} frames; reconnecting in {Delay}")]
    public static partial void ConnectionEnded(ILogger logger, Uri url, long frames, TimeSpan delay, Exception? error);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Relay sent #info {Name}: {InfoMessage}")]
    public static partial void InfoFrame(ILogger logger, string name, string? infoMessage);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Error, Message = "Relay sent error {Error}: {ErrorMessage}")]
    public static partial void ErrorFrame(ILogger logger, string error, string? errorMessage);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Warning, Message = "Dropped a frame of more than {Limit} bytes (after seq {AfterSeq})")]
    public static partial void OversizedFrame(ILogger logger, int limit, long afterSeq);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Warning, Message = "Frame not published: no DID/seq or unknown type (seq {Seq}, event {EventName})")]
    public static partial void UnroutableFrame(ILogger logger, long seq, string? eventName);

    [LoggerMessage(EventId = 6007, Level = LogLevel.Warning, Message = "Builders lag by {Backlog} frames (high-water mark {HighWaterMark}): pausing the relay")]
    public static partial void Pausing(ILogger logger, long backlog, long highWaterMark);

    [LoggerMessage(EventId = 6008, Level = LogLevel.Information, Message = "Builders lag by {Backlog} frames (low-water mark {LowWaterMark}): resuming the relay")]
    public static partial void Resuming(ILogger logger, long backlog, long lowWaterMark);

    [LoggerMessage(EventId = 6009, Level = LogLevel.Warning, Message = "Checking the builders' backlog failed")]
    public static partial void BackpressureCheckFailed(ILogger logger, Exception error);

    [LoggerMessage(EventId = 6010, Level = LogLevel.Warning, Message = "Saving the cursor failed; retrying")]
    public static partial void CursorSaveFailed(ILogger logger, Exception error);

    [LoggerMessage(EventId = 6011, Level = LogLevel.Information, Message = "Stopped leading at cursor {Cursor} ({InFlight} frames unacknowledged)")]
    public static partial void StoppedLeading(ILogger logger, long cursor, int inFlight);

    [LoggerMessage(EventId = 6012, Level = LogLevel.Information, Message = "Ingest: {Read} frames read, {Acked} acked ({Duplicates} duplicates, {Retries} retries), cursor {Cursor}, {Connections} connections, paused {Paused}")]
    public static partial void Progress(ILogger logger, long read, long acked, long duplicates, long retries, long cursor, long connections, bool paused);

    [LoggerMessage(EventId = 6013, Level = LogLevel.Warning, Message = "A frame the relay sent as #info or error could not be decoded")]
    public static partial void UndecodableNotice(ILogger logger, Exception error);
}

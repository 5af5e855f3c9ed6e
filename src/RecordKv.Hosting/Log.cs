using Microsoft.Extensions.Logging;

namespace RecordKv.Hosting;

/// <summary>The hosting log messages (event ids 5100–5149).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Critical, Message = "Refusing to start: {Reason}")]
    public static partial void StartupRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Stopping (shutdown requested)")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "Workers stopped {ElapsedMs:0} ms after the shutdown request")]
    public static partial void Stopped(ILogger logger, double elapsedMs);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "Disposing the host took longer than {TimeoutMs:0} ms; exiting without waiting for it")]
    public static partial void DisposeTimedOut(ILogger logger, double timeoutMs);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Warning, Message = "Cannot connect to NATS yet ({Error}); retrying in {DelayMs:0} ms")]
    public static partial void ConnectRetrying(ILogger logger, double delayMs, string error);
}

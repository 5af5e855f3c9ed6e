using Microsoft.Extensions.Logging;

namespace RecordKv.Nats;

/// <summary>The NATS client's log messages (event ids 4000–4099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Connected to NATS server {ServerUrl} ({ServerName}, version {Version})")]
    public static partial void Connected(ILogger logger, string serverUrl, string serverName, string version);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Disconnected from NATS server {ServerUrl}")]
    public static partial void Disconnected(ILogger logger, string serverUrl, Exception? error);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "Connecting to NATS server {ServerUrl} failed")]
    public static partial void ConnectAttemptFailed(ILogger logger, string serverUrl, Exception error);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "Gave up reconnecting after {Attempts} attempts")]
    public static partial void ReconnectGaveUp(ILogger logger, int attempts, Exception? error);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "NATS server error: {ServerMessage}")]
    public static partial void ServerError(ILogger logger, string serverMessage);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "NATS server {ServerUrl} entered lame-duck mode; moving to another server")]
    public static partial void LameDuck(ILogger logger, string serverUrl);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "A ConnectionStateChanged or ServerError handler threw")]
    public static partial void HandlerFailed(ILogger logger, Exception error);
}

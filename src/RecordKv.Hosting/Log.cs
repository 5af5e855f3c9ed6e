using Microsoft.Extensions.Logging;

namespace RecordKv.Hosting;

/// <summary>The hosting log messages (event ids 5100–5149).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Critical, Message = "Refusing to start: {Reason}")]
    public static partial void StartupRefused(ILogger logger, string reason);
}

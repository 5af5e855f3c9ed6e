using System.Globalization;

namespace RecordKv.Nats.JetStream;

/// <summary>Reads the status messages a pull request gets (ADR-13): 100 heartbeat, 404/408 done, 409 errors.</summary>
internal static class PullStatus
{
    public const int Heartbeat = 100;
    public const int NoMessages = 404;
    public const int RequestTimeout = 408;
    public const int Conflict = 409;
    public const int NoResponders = 503;

    public static int Of(NatsMsg msg) => msg.Headers?.StatusCode ?? 0;

    public static long PendingMessages(NatsMsg msg) => ReadLong(msg, JetStreamHeaders.PendingMessages);

    public static long PendingBytes(NatsMsg msg) => ReadLong(msg, JetStreamHeaders.PendingBytes);

    /// <summary>Whether a 409 means the consumer is gone or cannot serve pulls at all, rather than one request ended.</summary>
    public static bool IsFatalConflict(NatsMsg msg)
    {
        var description = msg.Headers?.StatusDescription ?? string.Empty;
        return description.Contains("Consumer Deleted", StringComparison.OrdinalIgnoreCase)
            || description.Contains("Consumer is push based", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether a 409 says the request asked for more than the consumer allows (a configuration error).</summary>
    public static bool IsRequestLimitConflict(NatsMsg msg)
    {
        var description = msg.Headers?.StatusDescription ?? string.Empty;
        return description.StartsWith("Exceeded MaxRequest", StringComparison.OrdinalIgnoreCase);
    }

    public static NatsJetStreamException ToException(string stream, string consumer, NatsMsg msg)
    {
        var status = Of(msg);
        var description = msg.Headers?.StatusDescription;
        var message = $"Pull from consumer '{consumer}' on stream '{stream}' answered {status} {description}.";
        return status == NoMessages || (status == Conflict && IsFatalConflict(msg))
            ? new NatsJetStreamNotFoundException(message, status, JetStreamErrors.ConsumerNotFound, description)
            : new NatsJetStreamException(message, status, 0, description);
    }

    private static long ReadLong(NatsMsg msg, string header) =>
        long.TryParse(msg.Headers?.GetLastValue(header), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : -1;
}

using RecordKv.Nats.JetStream;

namespace RecordKv.Builder;

/// <summary>Work for a lane: a consumed message, or a resync retry of a DID that lives in the lane.</summary>
/// <param name="Message">The message, or null for a retry.</param>
/// <param name="RetryDid">The DID to resync again, when <paramref name="Message"/> is null.</param>
internal readonly record struct LaneItem(NatsJsMsg? Message, string? RetryDid);

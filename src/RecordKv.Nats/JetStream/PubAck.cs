namespace RecordKv.Nats.JetStream;

/// <summary>The server's acknowledgement of a JetStream publish.</summary>
/// <param name="Stream">The stream that stored the message.</param>
/// <param name="Sequence">The message's sequence in the stream.</param>
/// <param name="Duplicate">Whether the message was a duplicate (same <c>Nats-Msg-Id</c> within the window) and not stored again.</param>
/// <param name="Domain">The JetStream domain, or null.</param>
public readonly record struct PubAck(string Stream, ulong Sequence, bool Duplicate, string? Domain);

namespace RecordKv.Nats.Internal;

/// <summary>The operations a server sends to a client.</summary>
internal enum NatsServerOpKind
{
    Info,
    Msg,
    HMsg,
    Ping,
    Pong,
    Ok,
    Err,
}

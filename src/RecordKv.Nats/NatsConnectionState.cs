namespace RecordKv.Nats;

/// <summary>Where a connection is in its life.</summary>
public enum NatsConnectionState
{
    /// <summary>The first connect is under way.</summary>
    Connecting,

    /// <summary>Connected to a server; publishes go out at once.</summary>
    Connected,

    /// <summary>The connection was lost and the client is reconnecting; publishes are buffered up to <see cref="NatsOptions.ReconnectBufferBytes"/>.</summary>
    Disconnected,

    /// <summary>Disposed, or reconnecting gave up; nothing more can be sent.</summary>
    Closed,
}

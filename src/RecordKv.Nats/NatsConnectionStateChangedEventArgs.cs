namespace RecordKv.Nats;

/// <summary>Tells a <see cref="NatsConnection.ConnectionStateChanged"/> handler what changed.</summary>
public sealed class NatsConnectionStateChangedEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    public NatsConnectionStateChangedEventArgs(NatsConnectionState previousState, NatsConnectionState state, string? serverUrl, Exception? error)
    {
        PreviousState = previousState;
        State = state;
        ServerUrl = serverUrl;
        Error = error;
    }

    /// <summary>The state before the change.</summary>
    public NatsConnectionState PreviousState { get; }

    /// <summary>The state now.</summary>
    public NatsConnectionState State { get; }

    /// <summary>The server connected to (when connected) or the one lost (when disconnected).</summary>
    public string? ServerUrl { get; }

    /// <summary>Why the connection was lost or closed, if it was.</summary>
    public Exception? Error { get; }
}

namespace RecordKv.Nats;

/// <summary>Tells a <see cref="NatsConnection.ServerError"/> handler about a <c>-ERR</c> the server sent while connected.</summary>
public sealed class NatsServerErrorEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    public NatsServerErrorEventArgs(NatsServerErrorException error) => Error = error;

    /// <summary>The error, e.g. a permissions violation.</summary>
    public NatsServerErrorException Error { get; }
}

namespace RecordKv.Nats;

/// <summary>A request found no subscriber on its subject: the server answered with status 503.</summary>
public sealed class NatsNoRespondersException : NatsException
{
    /// <summary>Creates the exception for the subject nobody listens on.</summary>
    public NatsNoRespondersException(string subject)
        : base($"No responders are listening on '{subject}'.")
    {
        Subject = subject;
    }

    /// <summary>The subject of the request.</summary>
    public string Subject { get; }
}

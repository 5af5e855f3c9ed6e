namespace RecordKv.Nats.JetStream;

/// <summary>The answer to <c>STREAM.INFO</c> with a subjects filter: the state with one page of subjects.</summary>
internal sealed record StreamSubjectsPage
{
    /// <summary>The stream's state; its <see cref="StreamState.Subjects"/> hold this page.</summary>
    public StreamState? State { get; init; }

    /// <summary>How many subjects matched in all.</summary>
    public int Total { get; init; }

    /// <summary>Where this page starts.</summary>
    public int Offset { get; init; }

    /// <summary>The page size the server used.</summary>
    public int Limit { get; init; }
}

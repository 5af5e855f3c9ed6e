namespace RecordKv.Nats.JetStream;

/// <summary>The body of <c>$JS.API.CONSUMER.MSG.NEXT</c> (ADR-13).</summary>
internal sealed record PullRequest
{
    public int Batch { get; init; }

    public long? MaxBytes { get; init; }

    public TimeSpan? Expires { get; init; }

    public bool? NoWait { get; init; }

    public TimeSpan? IdleHeartbeat { get; init; }
}

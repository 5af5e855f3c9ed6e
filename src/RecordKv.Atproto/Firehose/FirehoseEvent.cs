namespace RecordKv.Atproto.Firehose;

/// <summary>One decoded <c>com.atproto.sync.subscribeRepos</c> frame.</summary>
public abstract record FirehoseEvent
{
    /// <summary>The frame type as written in the header (<c>#commit</c>, <c>#sync</c>, ...), or <c>null</c> for an error frame.</summary>
    public abstract string? Type { get; }
}

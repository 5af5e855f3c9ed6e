namespace RecordKv.Nats.JetStream;

/// <summary>Options of a <see cref="NatsJetStreamContext"/>.</summary>
public sealed record NatsJetStreamOptions
{
    /// <summary>The API prefix; default <c>$JS.API</c>.</summary>
    public string? ApiPrefix { get; init; }

    /// <summary>The JetStream domain; when set the prefix is <c>$JS.&lt;domain&gt;.API</c>.</summary>
    public string? Domain { get; init; }

    /// <summary>How long an API request or synchronous publish waits for its answer; default 5 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);
}

namespace RecordKv.Nats;

/// <summary>Per-subscription overrides of the connection's channel capacity and slow-consumer policy.</summary>
public sealed record NatsSubscriptionOptions
{
    /// <summary>The channel capacity in messages; null uses <see cref="NatsOptions.SubscriptionCapacity"/>.</summary>
    public int? Capacity { get; init; }

    /// <summary>The policy when the channel is full; null uses <see cref="NatsOptions.SlowConsumerPolicy"/>.</summary>
    public NatsSlowConsumerPolicy? SlowConsumerPolicy { get; init; }

    /// <summary>Unsubscribes automatically after this many messages (sent to the server as <c>UNSUB sid max</c>); null means no limit.</summary>
    public int? MaxMessages { get; init; }
}

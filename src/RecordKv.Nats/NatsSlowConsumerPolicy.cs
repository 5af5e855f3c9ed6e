namespace RecordKv.Nats;

/// <summary>What a subscription does when its bounded channel is full and another message arrives.</summary>
public enum NatsSlowConsumerPolicy
{
    /// <summary>The new message is dropped and counted in <see cref="NatsSubscription.DroppedMessages"/>; the connection keeps reading for every other subscription.</summary>
    DropNewest,

    /// <summary>The connection stops reading until the subscriber makes room: nothing is lost, but every subscription on the connection waits and the server may cut a client that falls too far behind.</summary>
    Wait,
}

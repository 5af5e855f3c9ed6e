using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RecordKv.Nats;

/// <summary>How a <see cref="NatsConnection"/> connects, authenticates, keeps alive, reconnects and buffers.</summary>
public sealed record NatsOptions
{
    /// <summary>The servers to try, in order: <c>nats://host:port</c>, <c>tls://host:port</c> or <c>host:port</c>, optionally with <c>user:password@</c>. Default: <c>nats://127.0.0.1:4222</c>. Servers announced in INFO <c>connect_urls</c> are added to this list for reconnects.</summary>
    public IReadOnlyList<string> Servers { get; init; } = ["nats://127.0.0.1:4222"];

    /// <summary>The client name the server shows in its monitoring. Default: <c>RecordKv</c>.</summary>
    public string Name { get; init; } = "RecordKv";

    /// <summary>The user name for user/password authentication. Default: none.</summary>
    public string? User { get; init; }

    /// <summary>The password for user/password authentication. Default: none.</summary>
    public string? Password { get; init; }

    /// <summary>The token for token authentication. Default: none.</summary>
    public string? Token { get; init; }

    /// <summary>TLS settings; when set, the client always uses TLS. TLS is also used when a URL starts with <c>tls://</c> or the server requires it. Default: none.</summary>
    public NatsTlsOptions? Tls { get; init; }

    /// <summary>The time allowed for one connect (TCP, TLS, INFO, CONNECT and the first PONG). Default: 5 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the client pings an idle-or-not server to detect a dead connection. Default: 2 min.</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How many pings may go unanswered before the connection counts as dead and the client reconnects. Default: 2.</summary>
    public int MaxPingsOutstanding { get; init; } = 2;

    /// <summary>The first reconnect backoff; each failed attempt doubles it up to <see cref="ReconnectWaitMax"/>, and each wait is jittered to 50–100 % of its value. Default: 100 ms.</summary>
    public TimeSpan ReconnectWaitMin { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The largest reconnect backoff. Default: 2 s.</summary>
    public TimeSpan ReconnectWaitMax { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How many reconnect attempts are made after a connection is lost before the connection closes; -1 tries forever. Default: -1.</summary>
    public int MaxReconnectAttempts { get; init; } = -1;

    /// <summary>The most bytes of commands (publishes included) buffered while disconnected; a publish that would exceed it throws <see cref="NatsConnectionException"/> at once instead of growing memory. While connected the same bound (at least 1 MiB) is the write backpressure point: a publish waits for the socket. Default: 8 MiB.</summary>
    public long ReconnectBufferBytes { get; init; } = 8L * 1024 * 1024;

    /// <summary>How many messages each subscription's bounded channel holds before <see cref="SlowConsumerPolicy"/> applies. Default: 1024.</summary>
    public int SubscriptionCapacity { get; init; } = 1024;

    /// <summary>What a subscription does when its channel is full: <see cref="NatsSlowConsumerPolicy.DropNewest"/> (default) drops the new message and counts it, so one slow subscriber never stalls the others and memory stays bounded; <see cref="NatsSlowConsumerPolicy.Wait"/> stops reading from the socket until there is room.</summary>
    public NatsSlowConsumerPolicy SlowConsumerPolicy { get; init; } = NatsSlowConsumerPolicy.DropNewest;

    /// <summary>The timeout of <see cref="NatsConnection.RequestAsync"/> when the call gives none. Default: 5 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The prefix of inbox subjects (<see cref="NatsConnection.NewInbox"/> and request replies). Default: <c>_INBOX</c>.</summary>
    public string InboxPrefix { get; init; } = "_INBOX";

    /// <summary>Where the client logs connects, disconnects and server errors. Default: no logging.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;
}

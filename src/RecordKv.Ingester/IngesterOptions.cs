using System.ComponentModel.DataAnnotations;
using RecordKv.Coordination;

namespace RecordKv.Ingester;

/// <summary>The ingester's options (configuration section <c>Ingester</c>; docs/pipeline.md lists each with its environment variable and flag).</summary>
public sealed record IngesterOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Ingester";

    /// <summary>The relay: <c>wss://host</c> (or <c>ws://</c>, <c>https://</c>, <c>http://</c>); the path <c>/xrpc/com.atproto.sync.subscribeRepos</c> is appended. Default <c>wss://bsky.network</c>.</summary>
    [Required]
    public string Host { get; init; } = "wss://bsky.network";

    /// <summary>The source name in <c>Nats-Msg-Id</c> (<c>&lt;source&gt;:&lt;seq&gt;</c>) and the cursor key; default: the relay's host name (and port).</summary>
    public string? Source { get; init; }

    /// <summary>Start from this seq instead of the saved cursor (flag <c>--cursor</c>); applies to this process's first lease only.</summary>
    public long? Cursor { get; init; }

    /// <summary>This instance's id in the lease (default: host name and process id).</summary>
    public string InstanceId { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>Publishes awaiting a JetStream ack at once: 4096.</summary>
    [Range(1, 1_000_000)]
    public int MaxInFlight { get; init; } = 4096;

    /// <summary>How long a publish may wait for its ack before it is republished (same Nats-Msg-Id): 5 s.</summary>
    public TimeSpan AckTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the gap-free cursor is saved (it is also saved on shutdown and on losing the lease): 1 s.</summary>
    public TimeSpan CursorSaveInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Pause reading the relay when a builder consumer's backlog (pending + unacknowledged) exceeds this: 200,000 frames.</summary>
    [Range(1, long.MaxValue)]
    public long HighWaterMark { get; init; } = 200_000;

    /// <summary>Resume reading once every builder consumer's backlog is below this: 100,000 frames.</summary>
    [Range(0, long.MaxValue)]
    public long LowWaterMark { get; init; } = 100_000;

    /// <summary>How often the builder consumers' backlog is checked: 500 ms.</summary>
    public TimeSpan BackpressureInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The name prefix of the consumers whose backlog counts: <c>kv-builder-</c>.</summary>
    public string BuilderConsumerPrefix { get; init; } = "kv-builder-";

    /// <summary>First reconnect delay after the relay connection drops (jittered, doubling): 1 s.</summary>
    public TimeSpan ReconnectMinDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest reconnect delay: 60 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Largest frame accepted from the relay: the spec's 5 MiB; larger frames are dropped and logged.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxFrameBytes { get; init; } = 5 * 1024 * 1024;

    /// <summary>Time to connect and upgrade to the relay's WebSocket: 30 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The singleton lease timing (section <c>Ingester:Lease</c>: <c>Ttl</c> 6 s, <c>RenewInterval</c> 2 s).</summary>
    public KvLeaseOptions Lease { get; init; } = new();

    /// <summary>The subscribeRepos URL for a cursor (none: live tail).</summary>
    public Uri SubscribeUrl(long? cursor)
    {
        var host = Host.TrimEnd('/');
        if (host.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            host = "wss://" + host[8..];
        }
        else if (host.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            host = "ws://" + host[7..];
        }
        else if (!host.Contains("://", StringComparison.Ordinal))
        {
            host = "wss://" + host;
        }

        var url = host + "/xrpc/com.atproto.sync.subscribeRepos";
        return new Uri(cursor is { } seq ? url + "?cursor=" + seq.ToString(System.Globalization.CultureInfo.InvariantCulture) : url);
    }

    /// <summary>The source name: <see cref="Source"/>, or the relay's authority.</summary>
    public string SourceName() => Source ?? SubscribeUrl(null).Authority;

    /// <summary>Checks the options that attributes cannot.</summary>
    public IEnumerable<string> Problems()
    {
        if (LowWaterMark >= HighWaterMark)
        {
            yield return $"Ingester:LowWaterMark ({LowWaterMark}) must be below Ingester:HighWaterMark ({HighWaterMark}).";
        }

        if (!Uri.TryCreate(SubscribeUrl(null).ToString(), UriKind.Absolute, out _))
        {
            yield return $"Ingester:Host '{Host}' is not a URL.";
        }

        if (ReconnectMinDelay <= TimeSpan.Zero || ReconnectMaxDelay < ReconnectMinDelay)
        {
            yield return "Ingester:ReconnectMinDelay must be positive and at most Ingester:ReconnectMaxDelay.";
        }

        if (Lease.RenewInterval <= TimeSpan.Zero || Lease.Ttl <= Lease.RenewInterval)
        {
            yield return "Ingester:Lease:RenewInterval must be positive and below Ingester:Lease:Ttl.";
        }

        if (AckTimeout <= TimeSpan.Zero || CursorSaveInterval <= TimeSpan.Zero || BackpressureInterval <= TimeSpan.Zero)
        {
            yield return "Ingester:AckTimeout, CursorSaveInterval and BackpressureInterval must be positive.";
        }
    }
}

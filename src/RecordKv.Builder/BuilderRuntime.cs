using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RecordKv.Contracts;
using RecordKv.Nats;
using RecordKv.Nats.JetStream;
using RecordKv.Nats.KeyValue;

namespace RecordKv.Builder;

/// <summary>
/// One running builder: its NATS connection, store, identity resolver, and a worker per partition it consumes.
/// Partitions are started and stopped by whoever owns them (leases, or a static list).
/// </summary>
public sealed class BuilderRuntime : IAsyncDisposable
{
    private readonly ConcurrentDictionary<int, (CancellationTokenSource Stop, Task Run)> _partitions = new();
    private readonly NatsConnection _connection;
    private readonly BuilderOptions _options;
    private readonly StoreNames _names;
    private readonly NatsJetStreamContext _jetStream;
    private readonly AtprotoHttp _http;
    private readonly ILogger _logger;

    private BuilderRuntime(NatsConnection connection, BuilderOptions options, StoreNames names, BuilderStore store, ILoggerFactory loggerFactory)
    {
        _connection = connection;
        _options = options;
        _names = names;
        _logger = loggerFactory.CreateLogger("RecordKv.Builder");
        _jetStream = new NatsJetStreamContext(connection);
        _http = new AtprotoHttp(options, _logger);
        Store = store;
        Identities = new IdentityResolver(options, _http, store, _logger);
        Resyncer = new RepoResyncer(options, store, Identities, _http, Metrics, _logger);
        Processor = new EventProcessor(options, store, Identities, Resyncer, Metrics, _logger);
    }

    /// <summary>Counters of this builder.</summary>
    public BuilderMetrics Metrics { get; } = new();

    /// <summary>The partitions this builder is consuming now.</summary>
    public IReadOnlyCollection<int> Partitions => [.. _partitions.Keys];

    internal BuilderStore Store { get; }

    internal IdentityResolver Identities { get; }

    internal RepoResyncer Resyncer { get; }

    internal EventProcessor Processor { get; }

    internal NatsJetStreamContext JetStream => _jetStream;

    /// <summary>Connects and binds the buckets; no partition is consumed until <see cref="StartPartition"/>.</summary>
    public static async Task<BuilderRuntime> StartAsync(BuilderOptions options, NatsOptions natsOptions, StoreNames names, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var connection = await NatsConnection.ConnectAsync(natsOptions, cancellationToken).ConfigureAwait(false);
        try
        {
            var kv = new NatsKvContext(new NatsJetStreamContext(connection));
            var store = await BuilderStore.OpenAsync(kv, names, new DidPartitioner(options.PartitionCount), cancellationToken).ConfigureAwait(false);
            return new BuilderRuntime(connection, options, names, store, loggerFactory);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts consuming a partition (no-op when already consuming it).</summary>
    public void StartPartition(int partition)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(partition, _options.PartitionCount);
        _partitions.GetOrAdd(partition, p =>
        {
            var stop = new CancellationTokenSource();
            var worker = new PartitionWorker(p, _options, _names, _jetStream, Processor, _logger);
            return (stop, Task.Run(() => worker.RunAsync(stop.Token), CancellationToken.None));
        });
    }

    /// <summary>Stops consuming a partition (its lease was lost or released) and waits for its lanes to stop.</summary>
    public async Task StopPartitionAsync(int partition)
    {
        if (_partitions.TryRemove(partition, out var running))
        {
            await running.Stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await running.Run.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            running.Stop.Dispose();
        }
    }

    /// <summary>Stops every partition and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var partition in _partitions.Keys)
        {
            await StopPartitionAsync(partition).ConfigureAwait(false);
        }

        _http.Dispose();
        Metrics.Dispose();
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}

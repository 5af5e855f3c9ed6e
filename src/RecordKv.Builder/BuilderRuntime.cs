using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using RecordKv.Coordination;
using RecordKv.Nats;
using RecordKv.Nats.JetStream;
using RecordKv.Nats.KeyValue;

namespace RecordKv.Builder;

/// <summary>
/// One running builder: its NATS connections (data, and one for its leases), store, identity resolver, and a worker per partition it consumes.
/// Partitions come from leases (<see cref="RunLeasedAsync"/>) or are started explicitly (<see cref="StartPartition"/>).
/// </summary>
public sealed class BuilderRuntime : IAsyncDisposable
{
    /// <summary>How long a stopping builder tries to release its partition leases before leaving them to expire.</summary>
    private static readonly TimeSpan LeaseReleaseTimeout = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<int, RunningPartition> _partitions = new();
    private readonly NatsConnection _connection;
    private readonly NatsConnection _leaseConnection;
    private readonly NatsKvStore _leaseControl;
    private readonly BuilderOptions _options;
    private readonly RecordKvStore _recordKvStore;
    private readonly AtprotoHttp _http;
    private readonly RecordWriter _writer;
    private readonly ILogger _logger;
    private long _partitionStarts;

    private BuilderRuntime(NatsConnection connection, NatsConnection leaseConnection, NatsKvStore leaseControl, BuilderOptions options, RecordKvStore recordKvStore, RecordWriter writer, ILoggerFactory loggerFactory)
    {
        _connection = connection;
        _leaseConnection = leaseConnection;
        _leaseControl = leaseControl;
        _options = options;
        _recordKvStore = recordKvStore;
        _writer = writer;
        _logger = loggerFactory.CreateLogger("RecordKv.Builder");
        _http = new AtprotoHttp(options, _logger, metrics: Metrics);
        var index = new RecordIndex(recordKvStore.JetStream, recordKvStore.Names.RecordIndexStream, recordKvStore.Names.RecordIndexSubjectPrefix, options.RecordIndexChunkBytes);
        Store = new BuilderStore(recordKvStore.Records, recordKvStore.Repos, recordKvStore.Identities, index, recordKvStore.Partitioner, writer, options.RepoStateCacheSize, options.RecordIndexCompactAfter);
        Identities = new IdentityResolver(options, _http, Store, _logger);
        Resyncer = new RepoResyncer(options, Store, Identities, _http, Metrics, _logger);
        Processor = new EventProcessor(options, Store, Identities, Resyncer, Metrics, _logger);
        InstanceId = string.IsNullOrEmpty(options.InstanceId) ? GenerateInstanceId(Environment.MachineName, Environment.ProcessId, Guid.NewGuid()) : options.InstanceId;
    }

    /// <summary>
    /// A member id unique to this process: host name, process id and 12 random hex digits (a restarted process may get
    /// the same pid), at most <see cref="MaxGeneratedInstanceIdLength"/> characters: a long host name is shortened, the
    /// pid and the random part never are.
    /// </summary>
    internal static string GenerateInstanceId(string machineName, int processId, Guid random)
    {
        var unique = string.Create(CultureInfo.InvariantCulture, $"-{processId}-{random.ToString("N")[..12]}");
        var host = machineName.Length + unique.Length <= MaxGeneratedInstanceIdLength ? machineName : machineName[..(MaxGeneratedInstanceIdLength - unique.Length)];
        return host + unique;
    }

    /// <summary>The longest member id <see cref="GenerateInstanceId"/> makes (it is a key token of the control bucket).</summary>
    internal const int MaxGeneratedInstanceIdLength = 40;

    /// <summary>Counters of this builder.</summary>
    public BuilderMetrics Metrics { get; } = new();

    /// <summary>This builder's member id in the partition leases.</summary>
    public string InstanceId { get; }

    /// <summary>The partitions this builder is consuming now.</summary>
    public IReadOnlyCollection<int> Partitions => [.. _partitions.Keys];

    /// <summary>How many times this builder started consuming a partition (a partition that changes hands and comes back counts again).</summary>
    public long PartitionStarts => Interlocked.Read(ref _partitionStarts);

    /// <summary>Repositories of the partitions consumed here that wait for a resync retry (a resync of them failed).</summary>
    public int PendingResyncRetries
    {
        get
        {
            var pending = 0;
            foreach (var running in _partitions.Values)
            {
                pending += running.Worker.PendingResyncRetries;
            }

            return pending;
        }
    }

    internal BuilderStore Store { get; }

    internal IdentityResolver Identities { get; }

    internal RepoResyncer Resyncer { get; }

    internal EventProcessor Processor { get; }

    internal NatsJetStreamContext JetStream => _recordKvStore.JetStream;

    internal RecordKvStore RecordKvStore => _recordKvStore;

    /// <summary>Keeps backfill jobs and live events of one DID apart.</summary>
    internal BackfillDidGate DidGate { get; } = new();

    /// <summary>Connects and binds (creating when missing) the stream and buckets; no partition is consumed yet.</summary>
    public static async Task<BuilderRuntime> StartAsync(BuilderOptions options, NatsOptions natsOptions, RecordKvStoreOptions storeOptions, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var connection = await NatsConnection.ConnectAsync(natsOptions, cancellationToken).ConfigureAwait(false);
        NatsConnection? leaseConnection = null;
        try
        {
            var store = await RecordKvStore.OpenAsync(connection, storeOptions, loggerFactory.CreateLogger("RecordKv.Coordination"), cancellationToken).ConfigureAwait(false);

            // Leases get a connection of their own: on the data connection a renewal waits behind thousands of record
            // writes, acks and deliveries, and a builder at full speed lost partitions it alone held.
            leaseConnection = await NatsConnection.ConnectAsync(natsOptions, cancellationToken).ConfigureAwait(false);
            var leaseControl = await new NatsKvContext(new NatsJetStreamContext(leaseConnection)).GetBucketAsync(store.Control.Bucket, cancellationToken).ConfigureAwait(false);
            var writer = await RecordWriter.StartAsync(store.JetStream, store.Records, Math.Max(1, options.MaxRecordWritesInFlight), options.RecordWriteAckTimeout, cancellationToken).ConfigureAwait(false);
            return new BuilderRuntime(connection, leaseConnection, leaseControl, options, store, writer, loggerFactory);
        }
        catch
        {
            if (leaseConnection is not null)
            {
                await leaseConnection.DisposeAsync().ConfigureAwait(false);
            }

            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Takes this builder's fair share of partition leases and consumes exactly the partitions it holds until
    /// cancelled; a lost lease stops its partition's consumer at once.
    /// </summary>
    public async Task RunLeasedAsync(CancellationToken cancellationToken)
    {
        var leases = new PartitionLeases(
            _leaseControl,
            new PartitionLeasesOptions
            {
                KeyPrefix = "builder",
                MemberId = InstanceId,
                PartitionCount = _recordKvStore.PartitionCount,
                Lease = new KvLeaseOptions { Ttl = _options.LeaseTtl, RenewInterval = _options.LeaseRenewInterval },
                // A partition handed to another builder is released only once its lanes have stopped: the two
                // builders never process the same DIDs at the same time.
                ReleaseAfterStopConfirmed = true,
            },
            _logger);
        var stopping = new Dictionary<int, Task>();
        await using (leases.ConfigureAwait(false))
        {
            await leases.StartAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await foreach (var change in leases.Changes.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (stopping.Remove(change.Partition, out var previous))
                    {
                        // Regained (or lost for good) while its earlier worker was still stopping: one worker at a time.
                        await previous.ConfigureAwait(false);
                    }

                    if (change.Gained)
                    {
                        StartPartition(change.Partition, change.Lease);
                    }
                    else
                    {
                        // Stopped in the background (the lease rounds go on meanwhile), then confirmed so the lease is released.
                        Log.PartitionLost(_logger, change.Partition);
                        stopping[change.Partition] = StopAndConfirmAsync(leases, change);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            finally
            {
                await Task.WhenAll(stopping.Values).ConfigureAwait(false);
                await StopAllPartitionsAsync().ConfigureAwait(false);
                // Releasing lets the other builders take the partitions at once. It needs NATS: when NATS is gone too
                // (Ctrl-C reaches nats-server and the services together) each release would wait for a request timeout,
                // so the whole release is bounded and the leases simply expire instead.
                using var release = new CancellationTokenSource(LeaseReleaseTimeout);
                try
                {
                    await leases.StopAsync(release.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is NatsException or OperationCanceledException)
                {
                    Log.LeaseReleaseAbandoned(_logger, e.GetType().Name);
                }
            }
        }
    }

    /// <summary>Starts consuming a partition (no-op when already consuming it); it stops at once when <paramref name="lease"/> is cancelled.</summary>
    public void StartPartition(int partition, CancellationToken lease = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(partition, _recordKvStore.PartitionCount);
        _partitions.GetOrAdd(partition, p =>
        {
            var stop = new CancellationTokenSource();
            var abort = CancellationTokenSource.CreateLinkedTokenSource(lease);
            Interlocked.Increment(ref _partitionStarts);
            var worker = new PartitionWorker(p, _options, _recordKvStore.Names, JetStream, Processor, Store, Metrics, DidGate, _logger);
            return new RunningPartition(stop, abort, Task.Run(() => worker.RunAsync(stop.Token, abort.Token), CancellationToken.None), worker);
        });
    }

    /// <summary>
    /// Stops consuming a partition and waits until its lanes have stopped: the events they are in finish (written and
    /// acked) within <see cref="BuilderOptions.PartitionDrainTimeout"/>, then are cancelled; the others are redelivered.
    /// </summary>
    public async Task StopPartitionAsync(int partition)
    {
        if (_partitions.TryRemove(partition, out var running))
        {
            await running.Stop.CancelAsync().ConfigureAwait(false);
            try
            {
                // The worker bounds its own drain; this is the backstop for a consumer stuck in a NATS request.
                await running.Run.WaitAsync(_options.PartitionDrainTimeout + LeaseReleaseTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException)
            {
            }

            await running.Abort.CancelAsync().ConfigureAwait(false);
            try
            {
                await running.Run.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            running.Stop.Dispose();
            running.Abort.Dispose();
        }
    }

    /// <summary>Stops every partition and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAllPartitionsAsync().ConfigureAwait(false);

        await _writer.DisposeAsync().ConfigureAwait(false);
        _http.Dispose();
        Metrics.Dispose();
        await _connection.DisposeAsync().ConfigureAwait(false);
        await _leaseConnection.DisposeAsync().ConfigureAwait(false);
    }

    private async Task StopAndConfirmAsync(PartitionLeases leases, PartitionLeaseChange change)
    {
        try
        {
            await StopPartitionAsync(change.Partition).ConfigureAwait(false);
        }
        finally
        {
            leases.ConfirmStopped(change.Partition, change.Lease);
        }
    }

    /// <summary>Stops every partition at once (each waits only for its own lanes), so a stop takes one partition's time, not their sum.</summary>
    private Task StopAllPartitionsAsync()
    {
        var stopping = new List<Task>(_partitions.Count);
        foreach (var partition in _partitions.Keys)
        {
            stopping.Add(StopPartitionAsync(partition));
        }

        return Task.WhenAll(stopping);
    }

    private sealed record RunningPartition(CancellationTokenSource Stop, CancellationTokenSource Abort, Task Run, PartitionWorker Worker);
}

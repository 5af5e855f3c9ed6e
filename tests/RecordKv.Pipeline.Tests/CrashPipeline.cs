using System.Globalization;
using RecordKv.Contracts;
using RecordKv.Coordination;
using RecordKv.Nats;
using RecordKv.Nats.KeyValue;
using RecordKv.Simulator;
using RecordKv.Testing;

namespace RecordKv.Pipeline.Tests;

/// <summary>
/// The pipeline with its services as child processes: a nats-server, an in-process simulator, the store opened by the
/// test for observation, and ingesters and builders started (and killed) as <see cref="ServiceProcess"/>es. Disposing
/// it kills every child it ever started, then stops the simulator and the server.
/// </summary>
internal sealed class CrashPipeline : IAsyncDisposable
{
    public const string Source = "sim";

    private readonly List<ServiceProcess> _children = [];

    private CrashPipeline(NatsServerProcess nats, FirehoseSimulator simulator, NatsConnection connection, RecordKvStore store)
    {
        Nats = nats;
        Simulator = simulator;
        Connection = connection;
        Store = store;
    }

    public NatsServerProcess Nats { get; }

    public FirehoseSimulator Simulator { get; }

    public NatsConnection Connection { get; }

    /// <summary>The store as the test sees it (same names and partition count as the children).</summary>
    public RecordKvStore Store { get; }

    /// <summary>The output of every child, for failure messages.</summary>
    public string ChildOutput => string.Join("\n", _children.Select(c => c.RecentOutput));

    /// <summary>Starts the server and the simulator and creates the store (so every child binds, none races to create).</summary>
    public static async Task<CrashPipeline> StartAsync(SimulatorOptions simulatorOptions, CancellationToken cancellationToken)
    {
        NatsServerProcess? nats = null;
        FirehoseSimulator? simulator = null;
        NatsConnection? connection = null;
        try
        {
            nats = await NatsServerProcess.StartAsync(cancellationToken: cancellationToken);
            connection = await NatsConnection.ConnectAsync(PipelineHarness.Nats(nats.Url), cancellationToken);
            var store = await RecordKvStore.OpenAsync(connection, PipelineHarness.StoreOptions, cancellationToken: cancellationToken);
            simulator = await FirehoseSimulator.StartAsync(simulatorOptions, cancellationToken: cancellationToken);
            return new CrashPipeline(nats, simulator, connection, store);
        }
        catch
        {
            if (simulator is not null)
            {
                await simulator.DisposeAsync();
            }

            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            if (nats is not null)
            {
                await nats.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Starts an ingester child reading the simulator; <paramref name="cursor"/> only for the very first one.</summary>
    /// <param name="instanceId">The holder id in the lease.</param>
    /// <param name="cursor">Where to start when no cursor is saved (the first ingester only).</param>
    /// <param name="leaseTtl">The lease TTL (default 3 s; renewed every 0.5 s).</param>
    /// <param name="settings">More RECORDKV_ variables, overriding these.</param>
    public ServiceProcess StartIngester(string instanceId, long? cursor, TimeSpan? leaseTtl = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        var environment = CommonEnvironment();
        environment["RECORDKV_Ingester__Host"] = Simulator.BaseUrl.ToString().TrimEnd('/');
        environment["RECORDKV_Ingester__Source"] = Source;
        environment["RECORDKV_Ingester__InstanceId"] = instanceId;
        environment["RECORDKV_Ingester__Lease__Ttl"] = (leaseTtl ?? TimeSpan.FromSeconds(3)).ToString("c", CultureInfo.InvariantCulture);
        environment["RECORDKV_Ingester__Lease__RenewInterval"] = "00:00:00.500";
        environment["RECORDKV_Ingester__CursorSaveInterval"] = "00:00:00.100";
        environment["RECORDKV_Ingester__ReconnectMinDelay"] = "00:00:00.100";
        environment["RECORDKV_Ingester__BackpressureInterval"] = "00:00:00.100";
        if (cursor is { } seq)
        {
            environment["RECORDKV_Ingester__Cursor"] = seq.ToString(CultureInfo.InvariantCulture);
        }

        return Track(ServiceProcess.Start("ingester " + instanceId, "RecordKv.Ingester", With(environment, settings)));
    }

    /// <summary>Starts a leased builder child resolving identities and repositories at the simulator.</summary>
    /// <param name="instanceId">The member id in the partition leases.</param>
    /// <param name="leaseTtl">The partition lease TTL (default 4 s: long enough that a loaded machine's slow renewal
    /// rounds do not make leases churn).</param>
    /// <param name="leaseRenewInterval">How often leases are renewed and shares recomputed (default a quarter of the TTL).</param>
    /// <param name="settings">More RECORDKV_ variables, overriding these.</param>
    public ServiceProcess StartBuilder(string instanceId, TimeSpan? leaseTtl = null, TimeSpan? leaseRenewInterval = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        var ttl = leaseTtl ?? TimeSpan.FromSeconds(4);
        var environment = CommonEnvironment();
        environment["RECORDKV_Builder__InstanceId"] = instanceId;
        environment["RECORDKV_Builder__PlcDirectory"] = Simulator.BaseUrl.ToString();
        environment["RECORDKV_Builder__DidWebGateway"] = Simulator.BaseUrl.ToString();
        environment["RECORDKV_Builder__AllowHttpDidWebOnLoopback"] = "true";
        environment["RECORDKV_Builder__LeaseRenewInterval"] = (leaseRenewInterval ?? ttl / 4).ToString("c", CultureInfo.InvariantCulture);
        environment["RECORDKV_Builder__LeaseTtl"] = ttl.ToString("c", CultureInfo.InvariantCulture);
        // A killed builder's unacked events come back after AckWait: short, so the test does not wait long for them.
        environment["RECORDKV_Builder__AckWait"] = "00:00:03";
        environment["RECORDKV_Builder__HttpRetryDelay"] = "00:00:00.050";
        environment["RECORDKV_Builder__HttpAttempts"] = "6";
        return Track(ServiceProcess.Start("builder " + instanceId, "RecordKv.Builder", With(environment, settings)));
    }

    /// <summary>The ingester's saved gap-free cursor (0 before the first save).</summary>
    public async Task<long> SavedCursorAsync(CancellationToken cancellationToken)
    {
        var entry = await Store.Control.GetAsync(ControlKeys.IngestCursor(Source), cancellationToken);
        return entry is not null && long.TryParse(entry.Value.Span, NumberStyles.None, CultureInfo.InvariantCulture, out var seq) ? seq : 0;
    }

    /// <summary>Who holds a lease key of the control bucket now (null when nobody does).</summary>
    public async Task<string?> LeaseHolderAsync(string key, CancellationToken cancellationToken)
    {
        var entry = await Store.Control.GetAsync(key, cancellationToken);
        if (entry is not { Operation: NatsKvOperation.Put })
        {
            return null;
        }

        var record = LeaseRecord.Decode(entry.Value.Span);
        return record.IsExpired(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()) ? null : record.Holder;
    }

    /// <summary>How many partitions' leases <paramref name="instanceId"/> holds.</summary>
    public async Task<int> PartitionsHeldAsync(string instanceId, CancellationToken cancellationToken)
    {
        var held = 0;
        for (var p = 0; p < PipelineHarness.Partitions; p++)
        {
            if (await LeaseHolderAsync(ControlKeys.BuilderLease(p), cancellationToken) == instanceId)
            {
                held++;
            }
        }

        return held;
    }

    /// <summary>Frames the builders have finished with: stored frames minus those pending or awaiting an ack.</summary>
    public async Task<long> BuiltAsync(CancellationToken cancellationToken)
    {
        var stream = await Store.JetStream.GetStreamInfoAsync(Store.Names.FirehoseStream, cancellationToken);
        var outstanding = 0L;
        foreach (var consumer in await Store.JetStream.ListConsumersAsync(Store.Names.FirehoseStream, cancellationToken))
        {
            outstanding += (long)consumer.NumPending + consumer.NumAckPending;
        }

        return (long)stream.State.Messages - outstanding;
    }

    /// <summary>Kills every child ever started, then stops the simulator, the connection and the server.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var child in _children)
        {
            await child.DisposeAsync();
        }

        await Simulator.DisposeAsync();
        await Connection.DisposeAsync();
        await Nats.DisposeAsync();
    }

    private Dictionary<string, string> CommonEnvironment() => new(StringComparer.Ordinal)
    {
        ["RECORDKV_Nats__Servers"] = Nats.Url,
        ["RECORDKV_RecordKv__Partitions"] = PipelineHarness.Partitions.ToString(CultureInfo.InvariantCulture),
        ["RECORDKV_RecordKv__ShutdownTimeout"] = "00:00:08",
        ["RECORDKV_Serilog__MinimumLevel__Default"] = "Information",
    };

    private static Dictionary<string, string> With(Dictionary<string, string> environment, IReadOnlyDictionary<string, string>? settings)
    {
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        return environment;
    }

    private ServiceProcess Track(ServiceProcess child)
    {
        _children.Add(child);
        return child;
    }
}

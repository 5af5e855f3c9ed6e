using System.Globalization;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using RecordKv.Builder;
using RecordKv.Cli.Commands;
using RecordKv.Contracts;
using RecordKv.Coordination;
using RecordKv.Nats;
using RecordKv.Simulator;

namespace RecordKv.Benchmarks;

/// <summary>
/// Backfill into the store: the simulator's preloaded repositories (<see cref="Accounts"/> × <see cref="RecordsPerAccount"/>
/// records) listed, enqueued, fetched with getRepo, verified and written by one in-process builder, against a running
/// nats-server (RECORDKV_NATS_URL, default nats://127.0.0.1:4222, max_payload at least 8 MB). One operation is one
/// record, so the reported time is per record written.
/// </summary>
[MemoryDiagnoser]
public class BackfillBenchmarks
{
    private const int Accounts = 1000;
    private const int RecordsPerAccount = 20;
    private FirehoseSimulator _simulator = null!;
    private NatsConnection _connection = null!;
    private RecordKvStore _store = null!;
    private BuilderRuntime _builder = null!;
    private BackfillWorker _worker = null!;
    private CancellationTokenSource _stop = null!;

    /// <summary>Starts the simulator, opens a store with names unique to this process and starts a builder on every partition.</summary>
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        var url = Environment.GetEnvironmentVariable("RECORDKV_NATS_URL") ?? "nats://127.0.0.1:4222";
        _simulator = await FirehoseSimulator.StartAsync(new SimulatorOptions { Port = 0, Accounts = Accounts, RecordsPerAccount = RecordsPerAccount, Events = 0 });
        var suffix = string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}");
        var storeOptions = new RecordKvStoreOptions
        {
            Partitions = 16,
            Names = new StoreNames
            {
                RecordBucket = "bench_record_" + suffix,
                RepoBucket = "bench_repo_" + suffix,
                IdentityBucket = "bench_identity_" + suffix,
                ControlBucket = "bench_control_" + suffix,
                FirehoseStream = "BENCH_FIREHOSE_" + suffix,
                FirehoseSubjectPrefix = "benchfirehose" + suffix,
                BackfillStream = "BENCH_BACKFILL_" + suffix,
                BackfillSubjectPrefix = "benchbackfill" + suffix,
            },
        };
        var nats = new NatsOptions { Servers = [url] };
        _connection = await NatsConnection.ConnectAsync(nats);
        _store = await RecordKvStore.OpenAsync(_connection, storeOptions);
        var builderOptions = new BuilderOptions
        {
            InstanceId = "bench-" + suffix,
            PlcDirectory = _simulator.BaseUrl.ToString(),
            DidWebGateway = _simulator.BaseUrl.ToString(),
            AllowHttpDidWebOnLoopback = true,
            StaticPartitions = [.. Enumerable.Range(0, 16)],
        };
        _builder = await BuilderRuntime.StartAsync(builderOptions, nats, storeOptions, NullLoggerFactory.Instance, CancellationToken.None);
        _stop = new CancellationTokenSource();
        foreach (var partition in builderOptions.StaticPartitions)
        {
            _builder.StartPartition(partition, _stop.Token);
        }

        _worker = BackfillWorker.Start(_builder, builderOptions, new BackfillOptions { PollInterval = TimeSpan.FromMilliseconds(200) }, NullLogger.Instance, _stop.Token);
    }

    /// <summary>Stops the builder and simulator and deletes what the setup created.</summary>
    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    private async Task CleanupAsync()
    {
        await _stop.CancelAsync();
        await _worker.DisposeAsync();
        await _builder.DisposeAsync();
        var names = _store.Names;
        foreach (var stream in new[] { names.FirehoseStream, names.BackfillStream, "KV_" + names.RecordBucket, "KV_" + names.RepoBucket, "KV_" + names.IdentityBucket, "KV_" + names.ControlBucket })
        {
            await _store.JetStream.DeleteStreamAsync(stream);
        }

        await _connection.DisposeAsync();
        await _simulator.DisposeAsync();
        _stop.Dispose();
    }

    /// <summary>One whole backfill run of every preloaded repository (a new run each time, so every repository is fetched and written again).</summary>
    [Benchmark(OperationsPerInvoke = Accounts * RecordsPerAccount)]
    public async Task BackfillPreloadedRepositories()
    {
        var request = new BackfillRequest(_simulator.BaseUrl, [], null, NoWait: false, Restart: true, PageSize: 1000, TimeSpan.FromMilliseconds(100));
        using var host = new BackfillHostClient(request.Host);
        var exitCode = await BackfillCommand.RunAsync(_store, host, request, null, TextWriter.Null, CancellationToken.None);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"backfill exited with {exitCode}");
        }
    }
}

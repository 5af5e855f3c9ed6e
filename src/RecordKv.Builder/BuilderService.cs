using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RecordKv.Coordination;
using RecordKv.Nats;

namespace RecordKv.Builder;

/// <summary>The hosted builder: starts a <see cref="BuilderRuntime"/> and consumes its leased (or static) partitions until shutdown.</summary>
internal sealed class BuilderService : BackgroundService
{
    private readonly BuilderOptions _options;
    private readonly BackfillOptions _backfillOptions;
    private readonly NatsOptions _natsOptions;
    private readonly RecordKvStoreOptions _storeOptions;
    private readonly ILoggerFactory _loggerFactory;

    public BuilderService(IOptions<BuilderOptions> options, IOptions<BackfillOptions> backfillOptions, IOptions<NatsOptions> natsOptions, IOptions<RecordKvStoreOptions> storeOptions, ILoggerFactory loggerFactory)
    {
        _options = options.Value;
        _backfillOptions = backfillOptions.Value;
        _natsOptions = natsOptions.Value;
        _storeOptions = storeOptions.Value;
        _loggerFactory = loggerFactory;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var runtime = await BuilderRuntime.StartAsync(_options, _natsOptions, _storeOptions, _loggerFactory, stoppingToken).ConfigureAwait(false);
        await using (runtime.ConfigureAwait(false))
        {
            var logger = _loggerFactory.CreateLogger("RecordKv.Builder");
            await using var backfill = _backfillOptions.Enabled ? BackfillWorker.Start(runtime, _options, _backfillOptions, logger, stoppingToken) : null;
            if (_options.StaticPartitions.Count == 0)
            {
                Log.BuilderStarted(logger, runtime.InstanceId, "leased");
                await runtime.RunLeasedAsync(stoppingToken).ConfigureAwait(false);
                return;
            }

            foreach (var partition in _options.StaticPartitions)
            {
                runtime.StartPartition(partition, stoppingToken);
            }

            Log.BuilderStarted(logger, runtime.InstanceId, string.Join(',', _options.StaticPartitions));
            try
            {
                await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}

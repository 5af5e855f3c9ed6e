using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RecordKv.Contracts;
using RecordKv.Nats;

namespace RecordKv.Builder;

/// <summary>The hosted builder: starts a <see cref="BuilderRuntime"/> and consumes its partitions until shutdown.</summary>
internal sealed class BuilderService : BackgroundService
{
    private readonly BuilderOptions _options;
    private readonly NatsOptions _natsOptions;
    private readonly StoreNames _names;
    private readonly ILoggerFactory _loggerFactory;

    public BuilderService(IOptions<BuilderOptions> options, IOptions<NatsOptions> natsOptions, IOptions<StoreNames> names, ILoggerFactory loggerFactory)
    {
        _options = options.Value;
        _natsOptions = natsOptions.Value;
        _names = names.Value;
        _loggerFactory = loggerFactory;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var runtime = await BuilderRuntime.StartAsync(_options, _natsOptions, _names, _loggerFactory, stoppingToken).ConfigureAwait(false);
        await using (runtime.ConfigureAwait(false))
        {
            var partitions = _options.StaticPartitions.Count > 0 ? _options.StaticPartitions : Enumerable.Range(0, _options.PartitionCount).ToArray();
            foreach (var partition in partitions)
            {
                runtime.StartPartition(partition);
            }

            Log.BuilderStarted(_loggerFactory.CreateLogger("RecordKv.Builder"), _options.InstanceId, string.Join(',', partitions));
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

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RecordKv.Client;
using RecordKv.Hosting;

namespace RecordKv.LikeIndexer;

/// <summary>The hosted like indexer: opens the index bucket and runs <see cref="LikeIndexerRunner"/> until shutdown.</summary>
internal sealed class LikeIndexerService(RecordKvConnection connection, IOptions<LikeIndexerOptions> options, ILogger<LikeIndexerService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var store = await connection.StoreAsync.WaitAsync(stoppingToken).ConfigureAwait(false);
        var settings = options.Value;
        var index = await LikeIndex.OpenAsync(store.Kv, settings.Bucket, store.Options.Replicas, stoppingToken).ConfigureAwait(false);
        await using var client = new RecordKvClient(store.Connection, new RecordKvClientOptions
        {
            RecordBucket = store.Names.RecordBucket,
            ControlBucket = store.Names.ControlBucket,
            Partitions = store.PartitionCount,
        });
        Log.Started(logger, settings.ConsumerName, settings.Bucket, settings.SharePartitions);
        long applied = 0;
        try
        {
            await LikeIndexerRunner.RunAsync(
                client,
                index,
                settings.ConsumerName,
                new RecordConsumeOptions { SharePartitions = settings.SharePartitions },
                _ =>
                {
                    if (++applied % 10_000 == 0)
                    {
                        Log.Progress(logger, applied);
                    }
                },
                stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            Log.Stopped(logger, applied);
        }
    }
}

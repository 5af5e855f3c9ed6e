using System.CommandLine;
using RecordKv.Client;
using RecordKv.LikeIndexer;
using RecordKv.Nats.JetStream;
using RecordKv.Nats.KeyValue;

namespace RecordKv.Cli.Commands;

/// <summary>The <c>rebuild</c> verb: deletes an indexer's consumers, leases and bucket so that its next start rebuilds it from the record store.</summary>
internal static class RebuildCommand
{
    public static Command Build()
    {
        var connection = new StoreConnectionOptions();
        var indexer = new Argument<string>("INDEXER") { Description = "The indexer's consumer group name, e.g. like-indexer." };
        var bucket = new Option<string?>("--index-bucket") { Description = "The indexer's bucket to delete (like-indexer: like-index)." };
        var command = connection.AddTo(new Command("rebuild", "Delete an indexer's consumers and bucket; it rebuilds from the record store when (re)started.") { indexer, bucket });
        command.SetAction((parseResult, cancellationToken) => StoreConnectionOptions.GuardAsync(async () =>
        {
            var name = parseResult.GetValue(indexer)!;
            var indexBucket = parseResult.GetValue(bucket) ?? (name == "like-indexer" ? LikeIndexKeys.DefaultBucket : null);
            await using var nats = await connection.ConnectAsync(parseResult, cancellationToken).ConfigureAwait(false);
            await using var client = new RecordKvClient(nats, connection.ClientOptions(parseResult));
            var deleted = await client.DeleteConsumersAsync(name, cancellationToken).ConfigureAwait(false);
            var output = parseResult.InvocationConfiguration.Output;
            await output.WriteLineAsync($"deleted {deleted} consumers of {name}").ConfigureAwait(false);
            if (indexBucket is not null)
            {
                try
                {
                    await new NatsKvContext(new NatsJetStreamContext(nats)).DeleteBucketAsync(indexBucket, cancellationToken).ConfigureAwait(false);
                    await output.WriteLineAsync($"deleted bucket {indexBucket}").ConfigureAwait(false);
                }
                catch (NatsJetStreamNotFoundException)
                {
                    await output.WriteLineAsync($"bucket {indexBucket} did not exist").ConfigureAwait(false);
                }
            }

            await output.WriteLineAsync($"restart {name} to rebuild (a running instance recreates its consumers on its next start)").ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }
}

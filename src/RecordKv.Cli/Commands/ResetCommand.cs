using System.CommandLine;
using RecordKv.Contracts;
using RecordKv.Nats.JetStream;
using RecordKv.Nats.KeyValue;

namespace RecordKv.Cli.Commands;

/// <summary>The <c>reset</c> verb: deletes this deployment's stream, buckets (and with them their consumers).</summary>
internal static class ResetCommand
{
    public static Command Build()
    {
        var connection = new StoreConnectionOptions();
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation." };
        var extra = new Option<string[]>("--bucket") { Description = "Another bucket to delete (repeatable); like-index is included.", DefaultValueFactory = _ => ["like-index"] };
        var command = connection.AddTo(new Command("reset", "Delete the FIREHOSE, BACKFILL and RECORD_INDEX streams and the record, repo, identity, control and index buckets.") { yes, extra });
        command.SetAction((parseResult, cancellationToken) => StoreConnectionOptions.GuardAsync(async () =>
        {
            var options = connection.ClientOptions(parseResult);
            var names = new StoreNames();
            var streams = new List<string> { names.FirehoseStream, names.BackfillStream, names.RecordIndexStream };
            foreach (var bucket in new[] { options.RecordBucket, "repo", "identity", options.ControlBucket }.Concat(parseResult.GetValue(extra) ?? []))
            {
                streams.Add(NatsKvStore.StreamPrefix + bucket);
            }

            var output = parseResult.InvocationConfiguration.Output;
            if (!parseResult.GetValue(yes))
            {
                await output.WriteAsync($"delete {string.Join(", ", streams)} on {connection.Server(parseResult)}? type 'yes': ").ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                var answer = await Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                if (!string.Equals(answer?.Trim(), "yes", StringComparison.Ordinal))
                {
                    throw new CliException("not confirmed; nothing deleted (pass --yes to skip the question)");
                }
            }

            await using var nats = await connection.ConnectAsync(parseResult, cancellationToken).ConfigureAwait(false);
            var jetStream = new NatsJetStreamContext(nats);
            foreach (var stream in streams)
            {
                try
                {
                    await jetStream.DeleteStreamAsync(stream, cancellationToken).ConfigureAwait(false);
                    await output.WriteLineAsync($"deleted {stream}").ConfigureAwait(false);
                }
                catch (NatsJetStreamNotFoundException)
                {
                    await output.WriteLineAsync($"{stream} did not exist").ConfigureAwait(false);
                }
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}

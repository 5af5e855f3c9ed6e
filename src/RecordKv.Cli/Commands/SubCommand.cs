using System.CommandLine;
using RecordKv.Contracts;
using RecordKv.Nats;
using RecordKv.Nats.JetStream;
using RecordKv.Nats.KeyValue;

namespace RecordKv.Cli.Commands;

/// <summary>The <c>sub</c> verb: follows record changes on <c>$KV.record.…</c> subjects, decoded.</summary>
internal static class SubCommand
{
    public static Command Build()
    {
        var connection = new StoreConnectionOptions();
        var subject = new Argument<string>("SUBJECT") { Description = "A subject of the record bucket, e.g. '$KV.record.*.app.bsky.feed.like.>'." };
        var all = new Option<bool>("--all") { Description = "Start with the bucket's current contents, then follow (otherwise live changes only)." };
        var json = new Option<bool>("--json") { Description = "One JSON document per line." };
        var count = new Option<int?>("--count") { Description = "Stop after this many changes." };
        var command = connection.AddTo(new Command("sub", "Print record changes (decoded AT-URI, operation, CID, record) on record bucket subjects.") { subject, all, json, count });
        command.SetAction((parseResult, cancellationToken) => StoreConnectionOptions.GuardAsync(async () =>
        {
            var options = connection.ClientOptions(parseResult);
            var filter = parseResult.GetValue(subject)!;
            var prefix = NatsKvStore.SubjectPrefix + options.RecordBucket + ".";
            if (!filter.StartsWith(prefix, StringComparison.Ordinal))
            {
                throw new CliException($"'{filter}' is not a subject of the record bucket: it must start with '{prefix}'");
            }

            var output = parseResult.InvocationConfiguration.Output;
            var asJson = parseResult.GetValue(json);
            var limit = parseResult.GetValue(count);
            await using var nats = await connection.ConnectAsync(parseResult, cancellationToken).ConfigureAwait(false);
            var printed = 0;
            async Task<bool> PrintAsync(string messageSubject, NatsHeaders? headers, ReadOnlyMemory<byte> data)
            {
                var key = messageSubject[prefix.Length..];
                string uri;
                try
                {
                    uri = RecordStoreKeys.ParseKey(key, out _).ToAtUri();
                }
                catch (KeyFormatException)
                {
                    uri = key;
                }

                var operation = headers?.GetLastValue(NatsKvStore.OperationHeader) is "DEL" or "PURGE" ? "DELETE" : "PUT";
                await output.WriteLineAsync(RecordJsonOutput.Format(asJson, uri, operation, headers?.GetLastValue(AtprotoHeaders.Cid), headers?.GetLastValue(AtprotoHeaders.Rev), data)).ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                return limit is { } max && ++printed >= max;
            }

            if (parseResult.GetValue(all))
            {
                var jetStream = new NatsJetStreamContext(nats);
                var consumer = jetStream.CreateOrderedConsumer(NatsKvStore.StreamPrefix + options.RecordBucket, new NatsOrderedConsumerOptions { FilterSubject = filter });
                await foreach (var msg in consumer.ConsumeAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (await PrintAsync(msg.Subject, msg.Headers, msg.Data).ConfigureAwait(false))
                    {
                        break;
                    }
                }
            }
            else
            {
                await using var subscription = await nats.SubscribeAsync(filter, cancellationToken: cancellationToken).ConfigureAwait(false);
                await foreach (var msg in subscription.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (await PrintAsync(msg.Subject, msg.Headers, msg.Data).ConfigureAwait(false))
                    {
                        break;
                    }
                }
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}

using System.CommandLine;
using System.Globalization;
using RecordKv.Cli.Status;
using RecordKv.Nats.JetStream;

namespace RecordKv.Cli.Commands;

/// <summary>The <c>graph</c> verb: a live throughput view of one consumer (delivered and acknowledged per second, pending).</summary>
internal static class GraphCommand
{
    public static Command Build()
    {
        var connection = new StoreConnectionOptions();
        var consumer = new Argument<string>("CONSUMER") { Description = "The consumer name (see recordkv status)." };
        var stream = new Option<string>("--stream") { Description = "The consumer's stream (KV_record for indexers, FIREHOSE for builders).", DefaultValueFactory = _ => "KV_record" };
        var interval = new Option<double>("--interval") { Description = "Seconds per sample.", DefaultValueFactory = _ => 1 };
        var samples = new Option<int?>("--samples") { Description = "Stop after this many samples (default: until Ctrl+C)." };
        var once = new Option<bool>("--once") { Description = "One sample, then stop (--samples 1)." };
        var command = connection.AddTo(new Command("graph", "Live throughput of a consumer in the terminal: delivered and acked per second, a bar and a sparkline of the ack rate, pending, ack pending.") { consumer, stream, interval, samples, once });
        command.SetAction((parseResult, cancellationToken) => StoreConnectionOptions.GuardAsync(async () =>
        {
            await using var nats = await connection.ConnectAsync(parseResult, cancellationToken).ConfigureAwait(false);
            var jetStream = new NatsJetStreamContext(nats);
            var output = parseResult.InvocationConfiguration.Output;
            var name = parseResult.GetValue(consumer)!;
            var streamName = parseResult.GetValue(stream)!;
            var period = TimeSpan.FromSeconds(Math.Max(parseResult.GetValue(interval), 0.05));
            var limit = parseResult.GetValue(once) ? 1 : parseResult.GetValue(samples);
            var graph = new ThroughputGraph();
            var previous = await jetStream.GetConsumerInfoAsync(streamName, name, cancellationToken).ConfigureAwait(false);
            var previousAt = DateTimeOffset.UtcNow;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"consumer {name} on {streamName}: one line per {period.TotalSeconds:0.##}s (Ctrl+C stops)")).ConfigureAwait(false);
            for (var sample = 0; limit is null || sample < limit; sample++)
            {
                await Task.Delay(period, cancellationToken).ConfigureAwait(false);
                var current = await jetStream.GetConsumerInfoAsync(streamName, name, cancellationToken).ConfigureAwait(false);
                var now = DateTimeOffset.UtcNow;
                var seconds = Math.Max((now - previousAt).TotalSeconds, 0.001);
                var line = graph.Add(new ThroughputSample(
                    now,
                    Advance(previous.Delivered, current.Delivered) / seconds,
                    Advance(previous.AckFloor, current.AckFloor) / seconds,
                    current.NumPending,
                    current.NumAckPending));
                await output.WriteLineAsync(line).ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                previous = current;
                previousAt = now;
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    // Consumer sequences only grow; a recreated consumer starts again from 0, which counts as no progress.
    private static double Advance(SequenceInfo? before, SequenceInfo? after) =>
        Math.Max(0, (double)(after?.ConsumerSeq ?? 0) - (before?.ConsumerSeq ?? 0));
}

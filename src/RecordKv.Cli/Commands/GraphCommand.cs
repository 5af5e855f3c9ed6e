using System.CommandLine;
using System.Globalization;
using RecordKv.Nats.JetStream;

namespace RecordKv.Cli.Commands;

/// <summary>The <c>graph</c> verb: a live throughput view of one consumer (acknowledged messages per second, pending).</summary>
internal static class GraphCommand
{
    private const int BarWidth = 50;

    public static Command Build()
    {
        var connection = new StoreConnectionOptions();
        var consumer = new Argument<string>("CONSUMER") { Description = "The consumer name (see recordkv status)." };
        var stream = new Option<string>("--stream") { Description = "The consumer's stream (KV_record for indexers, FIREHOSE for builders).", DefaultValueFactory = _ => "KV_record" };
        var interval = new Option<double>("--interval") { Description = "Seconds per sample.", DefaultValueFactory = _ => 1 };
        var samples = new Option<int?>("--samples") { Description = "Stop after this many samples." };
        var command = connection.AddTo(new Command("graph", "Live throughput of a consumer in the terminal: acks per second as a bar, pending, ack pending.") { consumer, stream, interval, samples });
        command.SetAction((parseResult, cancellationToken) => StoreConnectionOptions.GuardAsync(async () =>
        {
            await using var nats = await connection.ConnectAsync(parseResult, cancellationToken).ConfigureAwait(false);
            var jetStream = new NatsJetStreamContext(nats);
            var output = parseResult.InvocationConfiguration.Output;
            var name = parseResult.GetValue(consumer)!;
            var streamName = parseResult.GetValue(stream)!;
            var period = TimeSpan.FromSeconds(parseResult.GetValue(interval));
            var limit = parseResult.GetValue(samples);
            var previous = await jetStream.GetConsumerInfoAsync(streamName, name, cancellationToken).ConfigureAwait(false);
            var previousAt = DateTimeOffset.UtcNow;
            var peak = 1.0;
            for (var sample = 0; limit is null || sample < limit; sample++)
            {
                await Task.Delay(period, cancellationToken).ConfigureAwait(false);
                var current = await jetStream.GetConsumerInfoAsync(streamName, name, cancellationToken).ConfigureAwait(false);
                var now = DateTimeOffset.UtcNow;
                var acked = (double)((current.AckFloor?.ConsumerSeq ?? 0) - Math.Min(current.AckFloor?.ConsumerSeq ?? 0, previous.AckFloor?.ConsumerSeq ?? 0));
                var rate = acked / Math.Max((now - previousAt).TotalSeconds, 0.001);
                peak = Math.Max(peak, rate);
                var bar = new string('█', (int)Math.Round(rate / peak * BarWidth));
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{now:HH:mm:ss} {rate,10:N1}/s |{bar,-BarWidth}| pending {current.NumPending:N0} ack pending {current.NumAckPending:N0}")).ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                previous = current;
                previousAt = now;
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}

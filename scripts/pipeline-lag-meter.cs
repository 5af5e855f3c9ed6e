#:project ../src/RecordKv.Atproto/RecordKv.Atproto.csproj
#:project ../src/RecordKv.Nats/RecordKv.Nats.csproj
#:project ../src/RecordKv.Contracts/RecordKv.Contracts.csproj
#:property OutputType=Exe
#:property PublishAot=false

// The end-to-end lag meter of scripts/bench-pipeline.sh: frame emitted -> record visible in the KV bucket.
// The simulator's `time` fields are simulated time, so emission is observed here instead: the meter reads the relay's
// firehose live (like the ingester, without a cursor) and notes when each commit (repo, rev) arrives; it also subscribes
// to the record bucket's subjects ($KV.<bucket>.>) and, for the first record put carrying that repo's rev
// (header Atproto-Rev), takes the difference. Both clocks are this process's monotonic clock. The delivery delay relay ->
// meter is the same one the ingester sees, so the figure is "relay hands out the frame" -> "record stored". The warm-up
// (commits not counted) is the first WARMUP_SECONDS after the first frame arrives; the run ends RUN_SECONDS after the
// meter starts.
// Usage: dotnet run scripts/pipeline-lag-meter.cs -- WS_URL NATS_URL BUCKET WARMUP_SECONDS RUN_SECONDS
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using RecordKv.Atproto.Firehose;
using RecordKv.Contracts;
using RecordKv.Nats;

if (args.Length < 5)
{
    Console.Error.WriteLine("usage: pipeline-lag-meter WS_URL NATS_URL BUCKET WARMUP_SECONDS RUN_SECONDS");
    return 2;
}

var firehoseUrl = new Uri(args[0]);
var natsUrl = args[1];
var bucket = args[2];
var warmup = TimeSpan.FromSeconds(double.Parse(args[3], CultureInfo.InvariantCulture));
var run = TimeSpan.FromSeconds(double.Parse(args[4], CultureInfo.InvariantCulture));
var emitted = new ConcurrentDictionary<(string Did, string Rev), long>();
var lags = new ConcurrentBag<(double EmittedAtSeconds, double LagMs)>();
long started = 0; // the first frame's arrival: the warm-up and the series count from the start of emission
using var stop = new CancellationTokenSource(run);

await using var connection = await NatsConnection.ConnectAsync(new NatsOptions { Servers = [natsUrl], SubscriptionCapacity = 1 << 16, SlowConsumerPolicy = NatsSlowConsumerPolicy.Wait });
await using var subscription = await connection.SubscribeAsync($"$KV.{bucket}.>");
var watching = Task.Run(async () =>
{
    try
    {
        await foreach (var message in subscription.ReadAllAsync(stop.Token))
        {
            var now = Stopwatch.GetTimestamp();
            var rev = message.Headers?.GetLastValue(AtprotoHeaders.Rev);
            if (rev is null || message.Headers?.GetLastValue("KV-Operation") is { } operation && operation != "PUT")
            {
                continue;
            }

            var did = RecordStoreKeys.ParseKey(message.Subject[(bucket.Length + 5)..], out _).Did;
            // The first record of a commit to become visible ends its lag; later ones of the same commit are not counted.
            if (emitted.TryRemove((did, rev), out var at) && Stopwatch.GetElapsedTime(Volatile.Read(ref started), at) >= warmup)
            {
                lags.Add((Stopwatch.GetElapsedTime(Volatile.Read(ref started), at).TotalSeconds, Stopwatch.GetElapsedTime(at, now).TotalMilliseconds));
            }
        }
    }
    catch (OperationCanceledException)
    {
    }
});

long frames = 0;
using (var socket = new ClientWebSocket())
{
    await socket.ConnectAsync(firehoseUrl, stop.Token);
    var buffer = new byte[8 << 20];
    try
    {
        while (!stop.IsCancellationRequested)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(length), stop.Token);
                length += result.Count;
            }
            while (!result.EndOfMessage);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                break;
            }

            var at = Stopwatch.GetTimestamp();
            if (frames++ == 0)
            {
                Volatile.Write(ref started, at);
            }

            try
            {
                if (FirehoseFrame.Decode(buffer.AsMemory(0, length)) is CommitEvent commit)
                {
                    emitted[(commit.Repo, commit.Rev)] = at;
                }
            }
            catch (FirehoseFormatException)
            {
            }
        }
    }
    catch (OperationCanceledException)
    {
    }
}

await stop.CancelAsync();
await watching;
var measured = lags.ToArray();
var sorted = Array.ConvertAll(measured, lag => lag.LagMs);
Array.Sort(sorted);
// LAG_SERIES=FILE: one line per second of emission (second, commits, max lag ms), to see whether slow commits cluster.
if (Environment.GetEnvironmentVariable("LAG_SERIES") is { Length: > 0 } seriesFile)
{
    var lines = measured.GroupBy(lag => (int)lag.EmittedAtSeconds).OrderBy(group => group.Key)
        .Select(group => string.Create(CultureInfo.InvariantCulture, $"{group.Key} {group.Count()} {group.Max(lag => lag.LagMs):0.0}"));
    await File.WriteAllLinesAsync(seriesFile, lines);
}

double Percentile(double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"frames {frames}, commits measured {sorted.Length} (after {warmup.TotalSeconds:0} s warm-up), never seen in KV {emitted.Count}, " +
    $"lag ms p50 {Percentile(0.50):0.0} p90 {Percentile(0.90):0.0} p99 {Percentile(0.99):0.0} max {(sorted.Length == 0 ? double.NaN : sorted[^1]):0.0}"));
return 0;

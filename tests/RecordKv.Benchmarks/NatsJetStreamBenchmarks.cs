using System.Globalization;
using BenchmarkDotNet.Attributes;
using RecordKv.Nats;
using RecordKv.Nats.JetStream;
using RecordKv.Nats.KeyValue;

namespace RecordKv.Benchmarks;

/// <summary>
/// JetStream and KV throughput against a running nats-server (RECORDKV_NATS_URL, default nats://127.0.0.1:4222; scripts/bench-nats-jetstream.sh
/// starts one and runs the official JavaScript client against the same server). Each invocation moves <see cref="Messages"/>
/// messages, so the reported time is per message.
/// </summary>
[MemoryDiagnoser]
public class NatsJetStreamBenchmarks
{
    private const int Messages = 20_000;
    private const int Gets = 5_000;
    private const int Keys = 1_000;

    private NatsConnection _connection = null!;
    private NatsJetStreamContext _js = null!;
    private NatsKvStore _kv = null!;
    private string _stream = null!;
    private string _consumeStream = null!;
    private byte[] _payload = null!;
    private string[] _keys = null!;
    private string[] _keySubjects = null!;

    /// <summary>The payload size in bytes.</summary>
    [Params(256, 1024)]
    public int Size { get; set; }

    /// <summary>Connects and creates a file-backed stream, a consume stream and a KV bucket for this size.</summary>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        var url = Environment.GetEnvironmentVariable("RECORDKV_NATS_URL") ?? "nats://127.0.0.1:4222";
        _connection = await NatsConnection.ConnectAsync(new NatsOptions { Servers = [url] });
        _js = new NatsJetStreamContext(_connection);
        var suffix = string.Create(CultureInfo.InvariantCulture, $"{Size}_{Environment.ProcessId}");
        _stream = "BENCH_PUB_" + suffix;
        _consumeStream = "BENCH_CON_" + suffix;
        _payload = new byte[Size];
        _payload.AsSpan().Fill((byte)'a');
        await _js.CreateStreamAsync(new StreamConfig { Name = _stream, Subjects = [_stream + ".>"], Storage = StreamStorageType.File });
        await _js.CreateStreamAsync(new StreamConfig { Name = _consumeStream, Subjects = [_consumeStream + ".>"], Storage = StreamStorageType.File });
        _kv = await new NatsKvContext(_js).CreateBucketAsync(new NatsKvConfig { Bucket = "bench_" + suffix });
        _keys = new string[Keys];
        _keySubjects = new string[Keys];
        for (var i = 0; i < Keys; i++)
        {
            _keys[i] = string.Create(CultureInfo.InvariantCulture, $"k.{i}");
            _keySubjects[i] = _kv.SubjectFor(_keys[i]);
            await _kv.PutAsync(_keys[i], _payload);
        }
    }

    /// <summary>Deletes what the setup created.</summary>
    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _js.DeleteStreamAsync(_stream);
        await _js.DeleteStreamAsync(_consumeStream);
        await _js.DeleteStreamAsync(_kv.Stream);
        await _connection.DisposeAsync();
    }

    /// <summary>Fills the consume stream and makes a fresh durable consumer for <see cref="PullConsumeAndAck"/>.</summary>
    [IterationSetup(Target = nameof(PullConsumeAndAck))]
    public void SetupConsume()
    {
        SetupConsumeAsync().GetAwaiter().GetResult();
    }

    /// <summary>Asynchronous publishes with PubAcks, at most 1024 in flight.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public Task PublishWithAcks() => PublishAllAsync(_ => _stream + ".x", Messages);

    /// <summary>Pull consume (buffer 500) and ack every message.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public async Task PullConsumeAndAck()
    {
        var consumer = await _js.GetConsumerAsync(_consumeStream, "bench");
        var received = 0;
        await foreach (var msg in consumer.ConsumeAsync(new NatsJetStreamConsumeOptions { MaxMessages = 500 }))
        {
            await msg.AckAsync();
            if (++received == Messages)
            {
                break;
            }
        }
    }

    /// <summary>KV puts pipelined through the asynchronous publisher over 1000 keys.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public Task KvPutPipelined() => PublishAllAsync(i => _keySubjects[i % Keys], Messages);

    /// <summary>KV gets one at a time (direct get).</summary>
    [Benchmark(OperationsPerInvoke = Gets)]
    public async Task KvGet()
    {
        for (var i = 0; i < Gets; i++)
        {
            _ = await _kv.GetAsync(_keys[i % Keys]) ?? throw new InvalidOperationException("missing key");
        }
    }

    private async Task PublishAllAsync(Func<int, string> subjectOf, int count)
    {
        await using var publisher = await _js.CreatePublisherAsync(new NatsJetStreamPublisherOptions { MaxInFlight = 1024 });
        var reading = Task.Run(async () =>
        {
            for (var read = 0; read < count; read++)
            {
                var result = await publisher.Results.ReadAsync();
                if (!result.IsSuccess)
                {
                    throw result.Error!;
                }
            }
        });
        for (var i = 0; i < count; i++)
        {
            await publisher.PublishAsync(subjectOf(i), _payload);
        }

        await reading;
    }

    private async Task SetupConsumeAsync()
    {
        try
        {
            await _js.DeleteConsumerAsync(_consumeStream, "bench");
        }
        catch (NatsJetStreamNotFoundException)
        {
        }

        await _js.PurgeStreamAsync(_consumeStream);
        await PublishAllAsync(_ => _consumeStream + ".x", Messages);
        await _js.CreateConsumerAsync(_consumeStream, new ConsumerConfig { DurableName = "bench", MaxAckPending = 20_000 });
    }
}

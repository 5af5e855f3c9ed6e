using System.Net.WebSockets;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using RecordKv.Atproto.Crypto;
using RecordKv.Simulator;
using RecordKv.Simulator.Encoding;

namespace RecordKv.Benchmarks;

/// <summary>
/// The firehose simulator's sustained emission: a bounded run at rate 0 (as fast as possible) streamed to one
/// WebSocket subscriber, signatures included; one operation is one event. Also the signing cost per curve.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3, invocationCount: 1)]
public class SimulatorBenchmarks
{
    private const int Events = 20_000;
    private readonly byte[] _commit = new byte[180];
    private readonly byte[] _signature = new byte[64];
    private SimSigner _k256 = null!;
    private SimSigner _p256 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _k256 = new SimSigner(AtprotoPrivateKey.FromSeed(KeyAlgorithm.K256, "bench"));
        _p256 = new SimSigner(AtprotoPrivateKey.FromSeed(KeyAlgorithm.P256, "bench"));
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public async Task<long> EmitToOneSubscriber()
    {
        var options = new SimulatorOptions { Port = 0, Seed = 1, Accounts = 1000, RecordsPerAccount = 20, Rate = 0, Events = Events };
        await using var simulator = await FirehoseSimulator.StartAsync(options);
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(simulator.FirehoseUrl + "?cursor=0"), CancellationToken.None);
        var buffer = new byte[8 * 1024 * 1024];
        long frames = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
            if (result.EndOfMessage)
            {
                frames++;
                if (simulator.IsComplete && frames >= simulator.GetSummary().Frames)
                {
                    return frames;
                }
            }
        }
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public void SignK256()
    {
        for (var i = 0; i < 1000; i++)
        {
            _commit[0] = (byte)i;
            _k256.Sign(_commit, _signature);
        }
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public void SignP256Deterministic()
    {
        for (var i = 0; i < 1000; i++)
        {
            _commit[0] = (byte)i;
            _p256.Sign(_commit, _signature);
        }
    }
}

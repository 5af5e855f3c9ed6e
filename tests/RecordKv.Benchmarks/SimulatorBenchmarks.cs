using System.Net.WebSockets;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.NoEmit;
using RecordKv.Atproto.Crypto;
using RecordKv.Simulator;
using RecordKv.Simulator.Encoding;

namespace RecordKv.Benchmarks;

/// <summary>
/// The firehose simulator's sustained emission: one simulator (1000 accounts × 20 preloaded records, rate 0, no
/// faults) started once, one WebSocket subscriber tailing it live; an operation is one event received, signatures
/// included. Preloading is outside the measurement. Also the signing cost per curve (signs/s).
/// </summary>
/// <remarks>In-process (no generated project to build: on a loaded machine that build outlasted BenchmarkDotNet's
/// timeout), one invocation of 20,000 events per iteration.</remarks>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class SimulatorBenchmarks
{
    private const int EventsPerIteration = 20_000;
    private readonly byte[] _commit = new byte[180];
    private readonly byte[] _signature = new byte[64];
    private readonly byte[] _buffer = new byte[8 * 1024 * 1024];
    private SimSigner _k256 = null!;
    private SimSigner _p256 = null!;
    private FirehoseSimulator? _simulator;
    private ClientWebSocket? _socket;

    [GlobalSetup(Target = nameof(EmitToOneSubscriber))]
    public async Task StartSimulator()
    {
        // Enough events for the warm-up and measured iterations; the run goes on while iterations read it.
        var options = new SimulatorOptions { Port = 0, Seed = 1, Accounts = 1000, RecordsPerAccount = 20, Rate = 0, Events = EventsPerIteration * 12 };
        _simulator = await FirehoseSimulator.StartAsync(options);
        _socket = new ClientWebSocket();
        await _socket.ConnectAsync(new Uri(_simulator.FirehoseUrl + "?cursor=0"), CancellationToken.None);
    }

    [GlobalCleanup(Target = nameof(EmitToOneSubscriber))]
    public async Task StopSimulator()
    {
        _socket?.Abort();
        _socket?.Dispose();
        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }
    }

    [GlobalSetup(Targets = [nameof(SignK256), nameof(SignP256Deterministic)])]
    public void CreateSigners()
    {
        _k256 = new SimSigner(AtprotoPrivateKey.FromSeed(KeyAlgorithm.K256, "bench"));
        _p256 = new SimSigner(AtprotoPrivateKey.FromSeed(KeyAlgorithm.P256, "bench"));
    }

    [Benchmark(OperationsPerInvoke = EventsPerIteration)]
    public async Task<long> EmitToOneSubscriber()
    {
        long frames = 0;
        while (frames < EventsPerIteration)
        {
            var result = await _socket!.ReceiveAsync(_buffer.AsMemory(), CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"The simulator closed the stream after {frames} frames: raise Events.");
            }

            if (result.EndOfMessage)
            {
                frames++;
            }
        }

        return frames;
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public void SignK256()
    {
        for (var i = 0; i < 1000; i++)
        {
            _commit[0] = (byte)i;
            _commit[1] = (byte)(i >> 8);
            _k256.Sign(_commit, _signature);
        }
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public void SignP256Deterministic()
    {
        for (var i = 0; i < 1000; i++)
        {
            _commit[0] = (byte)i;
            _commit[1] = (byte)(i >> 8);
            _p256.Sign(_commit, _signature);
        }
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default
                .WithToolchain(new InProcessNoEmitToolchain(TimeSpan.FromMinutes(15), logOutput: false))
                .WithStrategy(RunStrategy.Monitoring)
                .WithLaunchCount(1)
                .WithWarmupCount(1)
                .WithIterationCount(5)
                .WithInvocationCount(1)
                .WithUnrollFactor(1));
        }
    }
}

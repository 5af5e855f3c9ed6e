using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using RecordKv.Nats;

namespace RecordKv.Benchmarks;

/// <summary>
/// Core NATS client: publish throughput of 128-byte messages (batched writes), publish-to-subscriber
/// throughput and request/reply latency against a local nats-server. Uses $NATS_URL when set
/// (scripts/bench-nats.sh sets it), otherwise starts /usr/sbin/nats-server on a free port.
/// </summary>
[MemoryDiagnoser]
public class NatsCoreBenchmarks
{
    public const int MessagesPerInvoke = 100_000;

    private readonly byte[] _payload = new byte[128];
    private Process? _server;
    private NatsConnection _publisher = null!;
    private NatsConnection _subscriberConnection = null!;
    private NatsSubscription _subscription = null!;
    private NatsSubscription _service = null!;
    private CancellationTokenSource _stop = null!;
    private Task _responder = Task.CompletedTask;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var url = Environment.GetEnvironmentVariable("NATS_URL");
        if (string.IsNullOrEmpty(url))
        {
            url = StartServer();
        }

        _publisher = await NatsConnection.ConnectAsync(new NatsOptions { Servers = [url], Name = "bench-publisher" });
        _subscriberConnection = await NatsConnection.ConnectAsync(new NatsOptions { Servers = [url], Name = "bench-subscriber" });
        _subscription = await _subscriberConnection.SubscribeAsync("bench.pubsub", options: new NatsSubscriptionOptions
        {
            Capacity = 65_536,
            SlowConsumerPolicy = NatsSlowConsumerPolicy.Wait,
        });
        _service = await _subscriberConnection.SubscribeAsync("bench.request");
        _stop = new CancellationTokenSource();
        _responder = Task.Run(async () =>
        {
            await foreach (var request in _service.ReadAllAsync(_stop.Token))
            {
                await request.ReplyAsync(request.Data);
            }
        });
        await _subscriberConnection.PingAsync();
        await _publisher.PingAsync();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _stop.CancelAsync();
        await _subscriberConnection.DisposeAsync();
        await _publisher.DisposeAsync();
        try
        {
            await _responder;
        }
        catch (OperationCanceledException)
        {
        }

        _server?.Kill();
        _server?.Dispose();
    }

    /// <summary>Publishes 100,000 messages of 128 bytes nobody subscribes to, then waits for the server's PONG.</summary>
    [Benchmark(OperationsPerInvoke = MessagesPerInvoke)]
    public async Task Publish128B()
    {
        for (var i = 0; i < MessagesPerInvoke; i++)
        {
            await _publisher.PublishAsync("bench.publish", _payload);
        }

        await _publisher.PingAsync();
    }

    /// <summary>Publishes 100,000 messages of 128 bytes and reads all of them on a subscription of another connection.</summary>
    [Benchmark(OperationsPerInvoke = MessagesPerInvoke)]
    public async Task PublishSubscribe128B()
    {
        var reader = Task.Run(async () =>
        {
            var received = 0;
            while (received < MessagesPerInvoke && await _subscription.Messages.WaitToReadAsync())
            {
                while (received < MessagesPerInvoke && _subscription.Messages.TryRead(out _))
                {
                    received++;
                }
            }
        });
        for (var i = 0; i < MessagesPerInvoke; i++)
        {
            await _publisher.PublishAsync("bench.pubsub", _payload);
        }

        await reader;
    }

    /// <summary>One request of 128 bytes and its echoed reply, through the multiplexed reply inbox.</summary>
    [Benchmark]
    public async Task<int> RequestReply128B()
    {
        var reply = await _publisher.RequestAsync("bench.request", _payload);
        return reply.Data.Length;
    }

    private string StartServer()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        _server = Process.Start(new ProcessStartInfo("/usr/sbin/nats-server", $"-a 127.0.0.1 -p {port}") { RedirectStandardError = true, RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("nats-server did not start.");
        _server.BeginErrorReadLine();
        _server.BeginOutputReadLine();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return $"nats://127.0.0.1:{port}";
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                Thread.Sleep(20);
            }
        }
    }
}

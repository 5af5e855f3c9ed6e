using RecordKv.Nats;
using RecordKv.Nats.JetStream;
using RecordKv.Testing;

namespace RecordKv.Cli.Tests;

/// <summary><c>recordkv graph</c> against a live nats-server with a consumer that has delivered and acknowledged part of its stream.</summary>
public sealed class GraphCommandTests : IAsyncLifetime
{
    private NatsServerProcess? _server;
    private NatsConnection? _connection;

    public async Task InitializeAsync()
    {
        _server = await NatsServerProcess.StartAsync();
        _connection = await NatsConnection.ConnectAsync(new NatsOptions { Servers = [_server.Url] });
    }

    public async Task DisposeAsync()
    {
        await _connection!.DisposeAsync();
        await _server!.DisposeAsync();
    }

    [Fact]
    public async Task Graph_Once_PrintsHeaderAndOneSampleWithPendingAndAckPending()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var jetStream = new NatsJetStreamContext(_connection!);
        await jetStream.CreateStreamAsync(new StreamConfig { Name = "GRAPHED", Subjects = ["graphed.>"] }, timeout.Token);
        for (var i = 0; i < 20; i++)
        {
            await jetStream.PublishAsync("graphed.x", new byte[] { 1 }, cancellationToken: timeout.Token);
        }

        var consumer = await jetStream.CreateConsumerAsync("GRAPHED", new ConsumerConfig { DurableName = "graphed-reader" }, timeout.Token);
        var handled = 0;
        await foreach (var message in consumer.FetchAsync(new NatsJetStreamFetchOptions { MaxMessages = 12 }, timeout.Token))
        {
            if (++handled <= 8)
            {
                await message.AckSyncAsync(cancellationToken: timeout.Token);
            }
        }

        handled.ShouldBe(12);

        var run = await CliRun.RunAsync("graph", "graphed-reader", "--stream", "GRAPHED", "--once", "--interval", "0.2", "--server", _server!.Url);

        run.ExitCode.ShouldBe(0, run.Error);
        run.OutputLines.Length.ShouldBe(2, run.Output);
        run.OutputLines[0].ShouldStartWith("consumer graphed-reader on GRAPHED");
        run.OutputLines[1].ShouldContain("pending 8  ack pending 4");
        run.OutputLines[1].ShouldContain("delivered ");
        run.OutputLines[1].ShouldContain("acked ");
    }

    [Fact]
    public async Task Graph_MissingConsumer_OneLineError()
    {
        var jetStream = new NatsJetStreamContext(_connection!);
        await jetStream.CreateStreamAsync(new StreamConfig { Name = "GRAPHLESS", Subjects = ["graphless.>"] });

        var run = await CliRun.RunAsync("graph", "nobody", "--stream", "GRAPHLESS", "--once", "--server", _server!.Url);

        run.ExitCode.ShouldBe(1);
        run.ErrorLines.ShouldHaveSingleItem().ShouldContain("not found");
    }
}

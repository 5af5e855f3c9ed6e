using System.Net.WebSockets;
using RecordKv.Contracts;
using RecordKv.Nats;
using RecordKv.Nats.JetStream;
using RecordKv.Simulator;

namespace RecordKv.Ingester.Tests;

/// <summary>Reads what the simulator emitted (as an independent subscriber from cursor 0) and what the stream holds.</summary>
internal static class RelayFrames
{
    public static SimulatorOptions Simulator(long events, double rate = 0) => new()
    {
        Port = 0,
        Accounts = 30,
        RecordsPerAccount = 2,
        Rate = rate,
        Events = events,
        SubscriberMaxLag = 1_000_000,
    };

    /// <summary>Every routable frame the simulator emitted up to <paramref name="lastSeq"/>, by seq.</summary>
    public static async Task<SortedDictionary<long, (FrameRoute Route, byte[] Frame)>> EmittedAsync(FirehoseSimulator simulator, long lastSeq, int partitions, CancellationToken cancellationToken)
    {
        var router = new FrameRouter(new DidPartitioner(partitions));
        var frames = new SortedDictionary<long, (FrameRoute, byte[])>();
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(simulator.FirehoseUrl + "?cursor=0"), cancellationToken);
        var buffer = new byte[8 << 20];
        long seen = 0;
        while (seen < lastSeq)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                length += result.Count;
            }
            while (!result.EndOfMessage);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                break;
            }

            var route = router.Route(buffer.AsSpan(0, length));
            seen = Math.Max(seen, route.Seq);
            if (route.Kind == FrameKind.Publish)
            {
                frames[route.Seq] = (route, buffer.AsSpan(0, length).ToArray());
            }
        }

        return frames;
    }

    /// <summary>Every message of the stream, in stream order.</summary>
    public static async Task<List<NatsJsMsg>> StoredAsync(NatsConnection connection, string stream, CancellationToken cancellationToken)
    {
        var js = new NatsJetStreamContext(connection);
        var total = (await js.GetStreamInfoAsync(stream, cancellationToken)).State.Messages;
        var messages = new List<NatsJsMsg>((int)total);
        if (total == 0)
        {
            return messages;
        }

        await foreach (var msg in js.CreateOrderedConsumer(stream).ConsumeAsync(cancellationToken))
        {
            messages.Add(msg);
            if ((ulong)messages.Count == total)
            {
                break;
            }
        }

        return messages;
    }

    public static Task<NatsConnection> ConnectAsync(string url, CancellationToken cancellationToken) =>
        NatsConnection.ConnectAsync(new NatsOptions { Servers = [url] }, cancellationToken);

    public static async Task<ulong> StreamCountAsync(NatsConnection connection, string stream, CancellationToken cancellationToken) =>
        (await new NatsJetStreamContext(connection).GetStreamInfoAsync(stream, cancellationToken)).State.Messages;

    public static Uri RelayBase(FirehoseSimulator simulator) => simulator.BaseUrl;

}

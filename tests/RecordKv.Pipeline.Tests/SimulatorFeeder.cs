using System.Globalization;
using System.Net.WebSockets;
using RecordKv.Atproto.Firehose;
using RecordKv.Contracts;
using RecordKv.Nats;
using RecordKv.Nats.JetStream;
using RecordKv.Simulator;

namespace RecordKv.Pipeline.Tests;

/// <summary>
/// Replays a finished simulator's firehose into FIREHOSE the way the ingester publishes it (subject by partition of
/// the DID, the design's headers, Nats-Msg-Id for de-duplication); frames without a readable DID are dropped, as the
/// ingester drops them.
/// </summary>
internal static class SimulatorFeeder
{
    /// <summary>Streams the simulator's frames (live, from seq 1) until its last event, <paramref name="lastSeq"/>, has been published.</summary>
    public static async Task<FeedResult> FeedAsync(FirehoseSimulator simulator, long lastSeq, NatsJetStreamContext jetStream, StoreNames names, DidPartitioner partitioner, CancellationToken cancellationToken)
    {
        var received = 0L;
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(simulator.FirehoseUrl + "?cursor=0"), cancellationToken);
        var buffer = new byte[16 * 1024 * 1024];
        var published = 0;
        var dropped = 0;
        while (true)
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

            received++;
            var frame = buffer.AsMemory(0, length).ToArray();
            var (did, seq, type) = Describe(frame);
            if (did is not null)
            {
                var headers = new NatsHeaders()
                    .Add("Nats-Msg-Id", string.Create(CultureInfo.InvariantCulture, $"sim:{seq}"))
                    .Add(AtprotoHeaders.Seq, seq.ToString(CultureInfo.InvariantCulture))
                    .Add(AtprotoHeaders.Did, did)
                    .Add(AtprotoHeaders.Event, type);
                await jetStream.PublishAsync(names.FirehoseSubject(partitioner.PartitionOf(did)), frame, headers, cancellationToken: cancellationToken);
                published++;
            }
            else
            {
                dropped++;
            }

            if (seq >= lastSeq || (simulator.IsComplete && received >= simulator.GetSummary().Frames))
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
                break;
            }
        }

        return new FeedResult(published, dropped, lastSeq);
    }

    private static (string? Did, long Seq, string Type) Describe(byte[] frame)
    {
        try
        {
            return FirehoseFrame.Decode(frame) switch
            {
                CommitEvent commit => (commit.Repo, commit.Seq, "commit"),
                SyncEvent sync => (sync.Did, sync.Seq, "sync"),
                IdentityEvent identity => (identity.Did, identity.Seq, "identity"),
                AccountEvent account => (account.Did, account.Seq, "account"),
                _ => (null, -1, ""),
            };
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or InvalidOperationException)
        {
            return (null, -1, "");
        }
    }
}

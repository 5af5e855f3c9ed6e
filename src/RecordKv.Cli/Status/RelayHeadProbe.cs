using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using RecordKv.Atproto.Firehose;

namespace RecordKv.Cli.Status;

/// <summary>
/// Asks a relay (or the simulator) where its firehose is now: a subscription without a cursor starts at the live head, so
/// the first event's seq is the head. Works the same against the public relay and <c>recordkv sim</c>, with no help from the ingester.
/// </summary>
internal static class RelayHeadProbe
{
    private const int MaxFrameBytes = 5 * 1024 * 1024;

    /// <summary>The subscribeRepos URL of a relay named by URL (<c>wss://host</c>, <c>https://host</c>) or by the ingester's source name (<c>host[:port]</c>).</summary>
    public static Uri SubscribeUrl(string relay)
    {
        var host = relay.TrimEnd('/');
        if (host.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            host = "wss://" + host[8..];
        }
        else if (host.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            host = "ws://" + host[7..];
        }
        else if (!host.StartsWith("ws://", StringComparison.OrdinalIgnoreCase) && !host.StartsWith("wss://", StringComparison.OrdinalIgnoreCase))
        {
            // A bare source name: plain WebSocket on loopback (the simulator), TLS elsewhere (a public relay).
            var loopback = host.StartsWith("127.", StringComparison.Ordinal) || host.StartsWith("localhost", StringComparison.OrdinalIgnoreCase) || host.StartsWith("[::1]", StringComparison.Ordinal);
            host = (loopback ? "ws://" : "wss://") + host;
        }

        return new Uri(host + "/xrpc/com.atproto.sync.subscribeRepos");
    }

    /// <summary>Reads the relay's first event without a cursor; null when it does not answer with one within <paramref name="timeout"/>.</summary>
    public static async Task<RelayHead?> ReadAsync(Uri subscribeUrl, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        using var socket = new ClientWebSocket();
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            await socket.ConnectAsync(subscribeUrl, bounded.Token).ConfigureAwait(false);
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        if (buffer.Length >= MaxFrameBytes)
                        {
                            return null;
                        }

                        var grown = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(grown);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = grown;
                    }

                    result = await socket.ReceiveAsync(buffer.AsMemory(length), bounded.Token).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return null;
                    }

                    length += result.Count;
                }
                while (!result.EndOfMessage);

                RelayHead? head = FirehoseFrame.Decode(buffer.AsMemory(0, length)) switch
                {
                    CommitEvent commit => new RelayHead(commit.Seq, ParseTime(commit.Time)),
                    SyncEvent sync => new RelayHead(sync.Seq, ParseTime(sync.Time)),
                    IdentityEvent identity => new RelayHead(identity.Seq, null),
                    AccountEvent account => new RelayHead(account.Seq, null),
                    _ => null,
                };
                if (head is not null)
                {
                    return head;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or HttpRequestException or IOException or FirehoseFormatException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static DateTimeOffset? ParseTime(string time) =>
        DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;
}

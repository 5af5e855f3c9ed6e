using System.Net.WebSockets;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using RecordKv.Atproto.Firehose;
using RecordKv.Simulator.Firehose;

namespace RecordKv.Simulator;

public sealed partial class FirehoseSimulator
{
    private const int ReadChunk = 256;
    private const string WebSocketGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private async Task SubscribeReposAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await XrpcErrorAsync(context, 400, "InvalidRequest", "subscribeRepos needs a WebSocket upgrade").ConfigureAwait(false);
            return;
        }

        long? cursor = null;
        var cursorText = context.Request.Query["cursor"].ToString();
        if (cursorText.Length > 0)
        {
            if (!long.TryParse(cursorText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
            {
                await XrpcErrorAsync(context, 400, "InvalidRequest", $"cursor '{cursorText}' is not a non-negative integer").ConfigureAwait(false);
                return;
            }

            cursor = parsed;
        }

        var connection = new BatchingStream(await UpgradeAsync(context).ConfigureAwait(false));
        using var socket = WebSocket.CreateFromStream(connection, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.FromSeconds(30) });
        using var session = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        Interlocked.Increment(ref _stats.Subscribers);
        Interlocked.Increment(ref _stats.SubscribersTotal);
        var receive = DrainIncomingAsync(socket, session);
        try
        {
            await StreamAsync(socket, connection, cursor, session.Token).ConfigureAwait(false);
            if (socket.State == WebSocketState.Open)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException)
        {
            // The subscriber went away or the simulator is stopping.
        }
        finally
        {
            Interlocked.Decrement(ref _stats.Subscribers);
        }

        // Give the subscriber a moment to read what is in flight and answer the close; disposing the socket first
        // would reset the connection and lose the final frames (an error frame, typically).
        try
        {
            await receive.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await session.CancelAsync().ConfigureAwait(false);
            await receive.ConfigureAwait(false);
        }
    }

    private async Task StreamAsync(WebSocket socket, BatchingStream connection, long? cursor, CancellationToken cancellationToken)
    {
        long position;
        var caughtUp = cursor is null;
        if (cursor is { } requested)
        {
            if (requested > _log.LatestSeq)
            {
                await SendErrorAndCloseAsync(socket, "FutureCursor", "Cursor in the future.", cancellationToken).ConfigureAwait(false);
                return;
            }

            var (after, outdated) = _log.PositionAfter(requested);
            position = after;
            if (outdated)
            {
                var info = FirehoseFrame.Encode(new InfoEvent { Name = "OutdatedCursor", Message = "Requested cursor exceeded limit. Possibly missing events" });
                await socket.SendAsync(info, WebSocketMessageType.Binary, true, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            position = _log.End;
        }

        var frames = new List<byte[]>(ReadChunk);
        while (!cancellationToken.IsCancellationRequested)
        {
            frames.Clear();
            if (!_log.TryRead(position, frames, ReadChunk))
            {
                await DisconnectSlowAsync(socket, "fell out of the retained window", cancellationToken).ConfigureAwait(false);
                return;
            }

            if (frames.Count == 0)
            {
                caughtUp = true;
                await _log.WaitAsync(position, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var lag = _log.End - position;
            if (caughtUp && lag > _options.SubscriberMaxLag)
            {
                await DisconnectSlowAsync(socket, $"{lag} frames behind", cancellationToken).ConfigureAwait(false);
                return;
            }

            caughtUp |= lag <= _options.SubscriberMaxLag / 2;
            connection.BeginBatch();
            foreach (var frame in frames)
            {
                await socket.SendAsync(frame, WebSocketMessageType.Binary, true, cancellationToken).ConfigureAwait(false);
            }

            await connection.FlushBatchAsync(cancellationToken).ConfigureAwait(false);

            position += frames.Count;
        }
    }

    // The WebSocket handshake by hand (what AcceptWebSocketAsync does, minus extensions), so that the WebSocket runs
    // over a stream that can gather a whole batch of frames into a few socket writes.
    private static async Task<Stream> UpgradeAsync(HttpContext context)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>() ?? throw new InvalidOperationException("The server cannot upgrade this connection.");
        var key = context.Request.Headers.SecWebSocketKey.ToString();
#pragma warning disable CA5350 // SHA-1 is what RFC 6455 prescribes for Sec-WebSocket-Accept; it protects nothing.
        var accept = Convert.ToBase64String(SHA1.HashData(System.Text.Encoding.ASCII.GetBytes(key + WebSocketGuid)));
#pragma warning restore CA5350
        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers.SecWebSocketAccept = accept;
        return await upgrade.UpgradeAsync().ConfigureAwait(false);
    }

    private async Task DisconnectSlowAsync(WebSocket socket, string why, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _stats.SlowConsumerDisconnects);
        await SendErrorAndCloseAsync(socket, "ConsumerTooSlow", "Stream consumer too slow: " + why, cancellationToken).ConfigureAwait(false);
    }

    private static async Task SendErrorAndCloseAsync(WebSocket socket, string error, string message, CancellationToken cancellationToken)
    {
        await socket.SendAsync(FirehoseFrame.Encode(new ErrorEvent { Error = error, Message = message }), WebSocketMessageType.Binary, true, cancellationToken).ConfigureAwait(false);
        await socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, error, cancellationToken).ConfigureAwait(false);
    }

    // Reads (and drops) what the subscriber sends so that its close handshake is seen; a close ends the session.
    private static async Task DrainIncomingAsync(WebSocket socket, CancellationTokenSource session)
    {
        var buffer = new byte[1024];
        try
        {
            while (!session.IsCancellationRequested)
            {
                var result = await socket.ReceiveAsync(buffer, session.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException)
        {
            // The session ended.
        }

        await session.CancelAsync().ConfigureAwait(false);
    }
}

using System.Buffers;
using System.Net.WebSockets;
using RecordKv.Atproto.Firehose;

namespace RecordKv.Ingester;

internal sealed partial class IngestSession
{
    private const int InitialReceiveBuffer = 256 * 1024;

    private async Task ReadRelayAsync(CancellationToken cancellationToken)
    {
        var delay = _options.ReconnectMinDelay;
        var buffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBuffer);
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // No connection while paused: a reconnect would only be dropped again for being slow.
                await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                long? from;
                lock (_sync)
                {
                    from = _cursor.LastBegun > 0 ? _cursor.LastBegun : _startCursor;
                }

                var url = _options.SubscribeUrl(from);
                long frames = 0;
                Exception? error = null;
                using (var socket = new ClientWebSocket())
                {
                    socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
                    try
                    {
                        using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                        {
                            connectTimeout.CancelAfter(_options.ConnectTimeout);
                            await socket.ConnectAsync(url, connectTimeout.Token).ConfigureAwait(false);
                        }

                        Interlocked.Increment(ref _stats.Connections);
                        Log.Connected(_logger, url);
                        (frames, buffer) = await ReadFramesAsync(socket, buffer, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is WebSocketException or IOException or OperationCanceledException or HttpRequestException)
                    {
                        error = e;
                    }
                }

                cancellationToken.ThrowIfCancellationRequested();
                if (frames > 0)
                {
                    // The connection worked: a new drop starts the backoff over.
                    delay = _options.ReconnectMinDelay;
                }

                var jittered = TimeSpan.FromMilliseconds(delay.TotalMilliseconds * (0.5 + Random.Shared.NextDouble()));
                Log.ConnectionEnded(_logger, url, frames, jittered, error);
                await Task.Delay(jittered, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.ReconnectMaxDelay.Ticks));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads frames until the relay closes; returns how many were read and the (possibly grown) receive buffer.</summary>
    private async Task<(long Frames, byte[] Buffer)> ReadFramesAsync(ClientWebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        long frames = 0;
        var length = 0;
        var oversized = false;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length >= _options.MaxFrameBytes)
                {
                    // Over the spec's limit: drop it, keep reading to its end.
                    oversized = true;
                    length = 0;
                }
                else
                {
                    var grown = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, _options.MaxFrameBytes));
                    buffer.AsSpan(0, length).CopyTo(grown);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = grown;
                }
            }

            var result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (socket.State == WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken).ConfigureAwait(false);
                }

                return (frames, buffer);
            }

            length += result.Count;
            if (!result.EndOfMessage)
            {
                continue;
            }

            if (oversized || length > _options.MaxFrameBytes)
            {
                Interlocked.Increment(ref _stats.Oversized);
                Log.OversizedFrame(_logger, _options.MaxFrameBytes, _cursor.LastBegun);
            }
            else if (result.MessageType == WebSocketMessageType.Binary)
            {
                frames++;
                Interlocked.Increment(ref _stats.FramesRead);
                await HandleFrameAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            }

            oversized = false;
            length = 0;
            if (!_gate.IsOpen)
            {
                Interlocked.Exchange(ref _stats.Paused, 1);
                await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                Interlocked.Exchange(ref _stats.Paused, 0);
            }
        }
    }

    private async ValueTask HandleFrameAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        var route = _router.Route(frame.Span);
        switch (route.Kind)
        {
            case FrameKind.Publish:
                await PublishNewAsync(route, frame, cancellationToken).ConfigureAwait(false);
                break;
            case FrameKind.Info:
                Interlocked.Increment(ref _stats.InfoFrames);
                LogNotice(frame);
                break;
            case FrameKind.Error:
                Interlocked.Increment(ref _stats.ErrorFrames);
                LogNotice(frame);
                break;
            default:
                Interlocked.Increment(ref _stats.Unroutable);
                Log.UnroutableFrame(_logger, route.Seq, route.EventName);
                if (route.Seq > 0)
                {
                    // Nothing to publish for it, but it must not hold the cursor back.
                    lock (_sync)
                    {
                        if (_cursor.Begin(route.Seq) && _cursor.Complete(route.Seq))
                        {
                            Interlocked.Exchange(ref _stats.Cursor, _cursor.Value);
                        }
                    }
                }

                break;
        }
    }

    private void LogNotice(ReadOnlyMemory<byte> frame)
    {
        try
        {
            switch (FirehoseFrame.Decode(frame))
            {
                case InfoEvent info:
                    Log.InfoFrame(_logger, info.Name, info.Message);
                    break;
                case ErrorEvent error:
                    Log.ErrorFrame(_logger, error.Error, error.Message);
                    break;
            }
        }
        catch (FirehoseFormatException e)
        {
            Log.UndecodableNotice(_logger, e);
        }
    }
}

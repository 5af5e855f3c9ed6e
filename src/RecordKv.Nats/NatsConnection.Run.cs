using System.Buffers;
using RecordKv.Nats.Internal;

namespace RecordKv.Nats;

public sealed partial class NatsConnection
{
    private int _pingsOutstanding;

    /// <summary>Makes a fresh session the live one: SUBs for every live subscription go out before the writer loop drains buffered publishes.</summary>
    private async Task ActivateAsync(NatsSession session, CancellationToken cancellationToken)
    {
        // Without the write lock: a publisher may hold it while it waits for the writer loop, which starts
        // only after this. A subscription added meanwhile also writes its SUB to the outbound pipe; the
        // server ignores a repeated SUB for a sid it already has.
        var commands = new ArrayBufferWriter<byte>(1024);
        foreach (var subscription in _subscriptions.Values)
        {
            subscription.WriteResubscribe(commands);
        }

        if (commands.WrittenCount > 0)
        {
            await session.Stream.WriteAsync(commands.WrittenMemory, cancellationToken).ConfigureAwait(false);
            await session.Stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        Interlocked.Exchange(ref _pingsOutstanding, 0);
        Volatile.Write(ref _serverInfo, session.Info);
        LearnServers(session.Info, session.Url.Tls || _options.Tls is not null);
        Volatile.Write(ref _session, session);
        Log.Connected(_logger, session.Url.ToString(), session.Info.ServerName, session.Info.Version);
        SetState(NatsConnectionState.Connected, session.Url.ToString(), null);
    }

    /// <summary>Runs sessions one after another until disposal or until reconnecting gives up.</summary>
    private async Task SuperviseAsync(NatsSession session)
    {
        var token = _disposeCts.Token;
        while (true)
        {
            var error = await RunSessionAsync(session).ConfigureAwait(false);
            var lost = session.Url;
            var lameDuck = session.Info.LameDuckMode;
            await session.DisposeAsync().ConfigureAwait(false);
            if (IsDisposed)
            {
                return;
            }

            Log.Disconnected(_logger, lost.ToString(), error);
            SetState(NatsConnectionState.Disconnected, lost.ToString(), error);
            FailPendingPings(new NatsConnectionException($"The connection to {lost} was lost before the PONG arrived.", error));
            while (true)
            {
                NatsSession? next;
                try
                {
                    next = await ReconnectAsync(lost, lameDuck, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                if (next is null)
                {
                    Close(new NatsConnectionException($"Reconnecting gave up after {_options.MaxReconnectAttempts} attempts.", error), graceful: false);
                    return;
                }

                try
                {
                    await ActivateAsync(next, token).ConfigureAwait(false);
                    session = next;
                    break;
                }
                catch (Exception activateError) when (activateError is IOException or OperationCanceledException or NatsException)
                {
                    await next.DisposeAsync().ConfigureAwait(false);
                    if (IsDisposed)
                    {
                        return;
                    }

                    error = activateError;
                }
            }
        }
    }

    /// <summary>Runs the read, write and ping loops of a session until one of them ends; returns why.</summary>
    private async Task<Exception?> RunSessionAsync(NatsSession session)
    {
        var read = Task.Run(() => ReadLoopAsync(session), CancellationToken.None);
        var write = Task.Run(() => WriteLoopAsync(session), CancellationToken.None);
        var ping = Task.Run(() => PingLoopAsync(session), CancellationToken.None);
        var first = await Task.WhenAny(read, write, ping).ConfigureAwait(false);
        Exception? error = session.AbortReason;
        if (error is null && first.IsFaulted)
        {
            error = first.Exception!.InnerException;
        }

        if (error is null && first != write)
        {
            error = new NatsConnectionException($"The connection to {session.Url} ended.");
        }

        session.Abort(error);
        try
        {
            await Task.WhenAll(read, write, ping).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The first failure is the reason; the others follow from the abort.
        }

        return error;
    }

    private async Task<NatsSession?> ReconnectAsync(NatsServerUrl lost, bool lostWasLameDuck, CancellationToken cancellationToken)
    {
        var attempt = 0;
        while (_options.MaxReconnectAttempts < 0 || attempt < _options.MaxReconnectAttempts)
        {
            var servers = SnapshotServers();
            var start = 0;
            for (var i = 0; i < servers.Length; i++)
            {
                if (servers[i].SameEndpoint(lost))
                {
                    start = i + 1;
                }
            }

            var url = servers[(start + attempt) % servers.Length];
            var round = attempt / servers.Length;

            // Another server is tried at once; the lost one (or any server in a later round) after a jittered backoff.
            if (round > 0 || url.SameEndpoint(lost))
            {
                await Task.Delay(Backoff(round), cancellationToken).ConfigureAwait(false);
            }

            attempt++;
            if (lostWasLameDuck && round == 0 && url.SameEndpoint(lost) && servers.Length > 1)
            {
                continue;
            }

            try
            {
                return await OpenSessionAsync(url, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.ConnectAttemptFailed(_logger, url.ToString(), error);
            }
        }

        Log.ReconnectGaveUp(_logger, attempt, null);
        return null;
    }

    private TimeSpan Backoff(int round)
    {
        var min = _options.ReconnectWaitMin.TotalMilliseconds;
        var max = Math.Max(min, _options.ReconnectWaitMax.TotalMilliseconds);
        var wait = Math.Min(max, min * Math.Pow(2, Math.Min(round, 30)));

        // Jitter to 50–100 % so that many clients of a restarted server do not come back in lockstep.
        return TimeSpan.FromMilliseconds(wait * (0.5 + (Random.Shared.NextDouble() * 0.5)));
    }

    private async Task ReadLoopAsync(NatsSession session)
    {
        var token = session.Lifetime;
        var input = session.Input;
        var parser = session.Parser;
        while (true)
        {
            var result = await input.ReadAsync(token).ConfigureAwait(false);
            var buffer = result.Buffer;
            try
            {
                while (parser.TryParse(ref buffer, out var op))
                {
                    var handled = HandleOp(session, in op, token);
                    if (!handled.IsCompletedSuccessfully)
                    {
                        await handled.ConfigureAwait(false);
                    }
                }
            }
            finally
            {
                input.AdvanceTo(buffer.Start, buffer.End);
            }

            if (result.IsCompleted)
            {
                throw buffer.IsEmpty
                    ? new NatsConnectionException($"The server {session.Url} closed the connection.")
                    : new NatsProtocolException($"The server {session.Url} closed the connection in the middle of an operation ({buffer.Length} bytes left over).");
            }
        }
    }

    private ValueTask HandleOp(NatsSession session, in NatsServerOp op, CancellationToken cancellationToken)
    {
        switch (op.Kind)
        {
            case NatsServerOpKind.Msg:
            case NatsServerOpKind.HMsg:
                return Dispatch(in op, cancellationToken);
            case NatsServerOpKind.Ping:
                WriteControl(NatsCommandWriter.Pong, null);
                return default;
            case NatsServerOpKind.Pong:
                Interlocked.Exchange(ref _pingsOutstanding, 0);
                CompleteNextPing();
                return default;
            case NatsServerOpKind.Info:
                HandleInfo(session, op.Text!);
                return default;
            case NatsServerOpKind.Err:
                HandleError(session, op.Text!);
                return default;
            default:
                return default;
        }
    }

    private void HandleInfo(NatsSession session, string json)
    {
        var info = ParseInfo(json, session.Url);
        session.Info = info;
        session.Parser.MaxPayload = info.MaxPayload;
        Volatile.Write(ref _serverInfo, info);
        LearnServers(info, session.Url.Tls || _options.Tls is not null);
        if (info.LameDuckMode)
        {
            // The server will close us soon: move now, to another server, while it still serves.
            Log.LameDuck(_logger, session.Url.ToString());
            session.Abort(new NatsConnectionException($"The server {session.Url} entered lame-duck mode."));
        }
    }

    private void HandleError(NatsSession session, string text)
    {
        var error = new NatsServerErrorException(text, session.Url.ToString());
        Log.ServerError(_logger, text);
        if (error.IsPermissionsViolation)
        {
            FailSubscriptionsDeniedBy(error);
        }
        else
        {
            // Any other -ERR is fatal: the server closes the connection after it; keep the reason.
            session.Abort(error);
        }

        var handler = ServerError;
        if (handler is not null)
        {
            var args = new NatsServerErrorEventArgs(error);
            _ = Task.Run(() =>
            {
                try
                {
                    handler(this, args);
                }
                catch (Exception handlerError)
                {
                    Log.HandlerFailed(_logger, handlerError);
                }
            });
        }
    }

    /// <summary>Sends the outbound buffer: whatever accumulated since the last write goes out in one call.</summary>
    private async Task WriteLoopAsync(NatsSession session)
    {
        var token = session.Lifetime;
        var stream = session.Stream;
        while (true)
        {
            while (_outbound.TryTake(out var batch, out var length))
            {
                try
                {
                    await stream.WriteAsync(batch.AsMemory(0, length), token).ConfigureAwait(false);
                }
                finally
                {
                    // Sent or not, the bytes are consumed: core NATS is at-most-once for commands in flight
                    // when a connection breaks; what is published while disconnected stays buffered.
                    _outbound.Release(batch, length);
                }
            }

            if (_outbound.IsCompleted)
            {
                await stream.FlushAsync(token).ConfigureAwait(false);
                return;
            }

            await _outbound.WaitAsync(token).ConfigureAwait(false);
        }
    }

    private async Task PingLoopAsync(NatsSession session)
    {
        var token = session.Lifetime;
        using var timer = new PeriodicTimer(_options.PingInterval);
        while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
        {
            var outstanding = Interlocked.Increment(ref _pingsOutstanding);
            if (outstanding > _options.MaxPingsOutstanding)
            {
                throw new NatsConnectionException($"The server {session.Url} did not answer {outstanding - 1} pings: the connection is stale.");
            }

            WriteControl(NatsCommandWriter.Ping, KeepAlivePing);
        }
    }
}

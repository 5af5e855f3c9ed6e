using System.Buffers;
using System.Collections.Concurrent;
using RecordKv.Nats.Internal;

namespace RecordKv.Nats;

public sealed partial class NatsConnection
{
    /// <summary>Marks a keep-alive PING in the PONG queue, so user pings and keep-alives stay in order.</summary>
    private static readonly TaskCompletionSource KeepAlivePing = new();

    private static readonly SearchValues<char> SubjectForbidden = SearchValues.Create(" \t\r\n");

    /// <summary>Commands wait here for the writer loop; it survives reconnects, which is what buffers publishes while disconnected.</summary>
    private readonly NatsOutbound _outbound;

    /// <summary>PONG waiters in the order their PINGs were written.</summary>
    private readonly ConcurrentQueue<TaskCompletionSource> _pongWaiters = new();

    /// <summary>Publishes a message; it is buffered and sent by the writer loop together with others.</summary>
    /// <remarks>Returns at once unless the outbound buffer is above its high-water mark (then it waits for the socket).</remarks>
    /// <exception cref="NatsPayloadTooLargeException">Headers plus data exceed the server's max_payload.</exception>
    /// <exception cref="NatsConnectionException">Disconnected and the reconnect buffer is full, or the connection is closed.</exception>
    public ValueTask PublishAsync(string subject, ReadOnlyMemory<byte> data, NatsHeaders? headers = null, string? replyTo = null, CancellationToken cancellationToken = default)
    {
        ValidateSubject(subject, nameof(subject));
        if (replyTo is not null)
        {
            ValidateSubject(replyTo, nameof(replyTo));
        }

        var headerLength = headers?.GetSerializedLength() ?? 0;
        var size = (long)headerLength + data.Length;
        var maxPayload = ServerInfo.MaxPayload;
        if (size > maxPayload)
        {
            throw new NatsPayloadTooLargeException(subject, size, maxPayload);
        }

        if (_outbound.IsAboveHighWater && State == NatsConnectionState.Connected)
        {
            return PublishAfterDrainAsync(subject, data, headers, headerLength, replyTo, cancellationToken);
        }

        WritePublish(subject, data.Span, headers, headerLength, replyTo);
        return default;
    }

    /// <summary>Round trip to the server: returns once the server answered a PING sent after everything written before; this makes it a flush too.</summary>
    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        if (State != NatsConnectionState.Connected)
        {
            await WaitConnectedAsync(cancellationToken).ConfigureAwait(false);
        }

        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        WriteControl(NatsCommandWriter.Ping, waiter);
        await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask PublishAfterDrainAsync(string subject, ReadOnlyMemory<byte> data, NatsHeaders? headers, int headerLength, string? replyTo, CancellationToken cancellationToken)
    {
        while (_outbound.IsAboveHighWater && State == NatsConnectionState.Connected)
        {
            await _outbound.WaitForDrainAsync(cancellationToken).ConfigureAwait(false);
        }

        WritePublish(subject, data.Span, headers, headerLength, replyTo);
    }

    private void WritePublish(string subject, ReadOnlySpan<byte> data, NatsHeaders? headers, int headerLength, string? replyTo)
    {
        bool signal;
        lock (_outbound.SyncRoot)
        {
            CheckWritable(headerLength + data.Length + subject.Length + (replyTo?.Length ?? 0) + 64);
            NatsCommandWriter.WritePublish(_outbound, subject, replyTo, headers, headerLength, data);
            signal = _outbound.ClaimSignal();
        }

        if (signal)
        {
            _outbound.Signal();
        }
    }

    /// <summary>Writes a short control command (PING, PONG); a PING's waiter joins the PONG queue in write order.</summary>
    private void WriteControl(ReadOnlySpan<byte> command, TaskCompletionSource? pongWaiter)
    {
        bool signal;
        lock (_outbound.SyncRoot)
        {
            CheckWritable(command.Length);
            _outbound.Write(command);
            if (pongWaiter is not null)
            {
                _pongWaiters.Enqueue(pongWaiter);
            }

            signal = _outbound.ClaimSignal();
        }

        if (signal)
        {
            _outbound.Signal();
        }
    }

    /// <summary>Writes commands formatted by <paramref name="format"/> (SUB, UNSUB).</summary>
    private void WriteCommands<TState>(TState state, Func<IBufferWriter<byte>, TState, int> format)
    {
        bool signal;
        lock (_outbound.SyncRoot)
        {
            CheckWritable(256);
            format(_outbound, state);
            signal = _outbound.ClaimSignal();
        }

        if (signal)
        {
            _outbound.Signal();
        }
    }

    /// <summary>Called under the outbound lock: refuses writes after close and bounds what is buffered while disconnected.</summary>
    private void CheckWritable(long bytes)
    {
        if (IsDisposed)
        {
            throw new ObjectDisposedException(nameof(NatsConnection));
        }

        var state = State;
        if (state == NatsConnectionState.Connected)
        {
            return;
        }

        if (state == NatsConnectionState.Closed)
        {
            throw new NatsConnectionException("The connection is closed.", _closeReason);
        }

        var pending = _outbound.PendingBytes;
        if (pending + bytes > _options.ReconnectBufferBytes)
        {
            throw new NatsConnectionException(
                $"Disconnected, and the reconnect buffer holds {pending} bytes: {bytes} more would exceed NatsOptions.ReconnectBufferBytes ({_options.ReconnectBufferBytes}).");
        }
    }

    private void CompleteNextPing()
    {
        if (_pongWaiters.TryDequeue(out var waiter))
        {
            waiter.TrySetResult();
        }
    }

    private void FailPendingPings(Exception error)
    {
        while (_pongWaiters.TryDequeue(out var waiter))
        {
            if (waiter != KeepAlivePing)
            {
                waiter.TrySetException(error);
            }
        }
    }

    private static void ValidateSubject(string subject, string parameterName)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject, parameterName);
        if (subject.AsSpan().IndexOfAny(SubjectForbidden) >= 0)
        {
            throw new ArgumentException($"The subject '{subject}' holds whitespace, which NATS subjects cannot.", parameterName);
        }
    }
}

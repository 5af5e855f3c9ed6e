using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using RecordKv.Nats.Internal;

namespace RecordKv.Nats;

public sealed partial class NatsConnection
{
    /// <summary>Marks a keep-alive PING in the PONG queue, so user pings and keep-alives stay in order.</summary>
    private static readonly TaskCompletionSource KeepAlivePing = new();

    private static readonly SearchValues<char> SubjectForbidden = SearchValues.Create(" \t\r\n");

    /// <summary>Commands wait here for the writer loop; it survives reconnects, which is what buffers publishes while disconnected.</summary>
    private readonly Pipe _outbound;

    /// <summary>Serializes writers of <see cref="_outbound"/> (a PipeWriter has one writer at a time).</summary>
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    /// <summary>PONG waiters in the order their PINGs were written.</summary>
    private readonly ConcurrentQueue<TaskCompletionSource> _pongWaiters = new();

    /// <summary>Bytes written to <see cref="_outbound"/> and not yet taken by the writer loop.</summary>
    private long _pendingBytes;

    /// <summary>Publishes a message; it is buffered and sent by the writer loop together with others.</summary>
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

        if (!_writeLock.Wait(0, CancellationToken.None))
        {
            return PublishContendedAsync(subject, data, headers, headerLength, replyTo, cancellationToken);
        }

        ValueTask<FlushResult> flush;
        try
        {
            CheckWritable(size + subject.Length + (replyTo?.Length ?? 0) + 64);
            var written = NatsCommandWriter.WritePublish(_outbound.Writer, subject, replyTo, headers, headerLength, data.Span);
            Interlocked.Add(ref _pendingBytes, written);
            flush = _outbound.Writer.FlushAsync(cancellationToken);
        }
        catch
        {
            _writeLock.Release();
            throw;
        }

        if (flush.IsCompletedSuccessfully)
        {
            _writeLock.Release();
            return default;
        }

        return ReleaseAfterFlushAsync(flush);
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
        await WriteControlAsync(PingBytes, waiter, cancellationToken).ConfigureAwait(false);
        await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask PublishContendedAsync(string subject, ReadOnlyMemory<byte> data, NatsHeaders? headers, int headerLength, string? replyTo, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            CheckWritable(headerLength + data.Length + subject.Length + (replyTo?.Length ?? 0) + 64);
            var written = NatsCommandWriter.WritePublish(_outbound.Writer, subject, replyTo, headers, headerLength, data.Span);
            Interlocked.Add(ref _pendingBytes, written);
            await _outbound.Writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async ValueTask ReleaseAfterFlushAsync(ValueTask<FlushResult> flush)
    {
        try
        {
            await flush.ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Writes a short control command (PING, PONG, SUB, UNSUB); a PING's waiter joins the PONG queue in write order.</summary>
    private async ValueTask WriteControlAsync(ReadOnlyMemory<byte> command, TaskCompletionSource? pongWaiter, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            CheckWritable(command.Length);
            _outbound.Writer.Write(command.Span);
            Interlocked.Add(ref _pendingBytes, command.Length);
            if (pongWaiter is not null)
            {
                _pongWaiters.Enqueue(pongWaiter);
            }

            await _outbound.Writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Writes commands formatted by <paramref name="format"/> under the write lock.</summary>
    private async ValueTask WriteCommandsAsync<TState>(TState state, Func<IBufferWriter<byte>, TState, int> format, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            CheckWritable(256);
            var written = format(_outbound.Writer, state);
            Interlocked.Add(ref _pendingBytes, written);
            await _outbound.Writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Called under the write lock: refuses writes after close and bounds what is buffered while disconnected.</summary>
    private void CheckWritable(long bytes)
    {
        if (IsDisposed)
        {
            throw new ObjectDisposedException(nameof(NatsConnection));
        }

        var state = State;
        if (state == NatsConnectionState.Closed)
        {
            throw new NatsConnectionException("The connection is closed.", _closeReason);
        }

        if (state != NatsConnectionState.Connected)
        {
            var pending = Volatile.Read(ref _pendingBytes);
            if (pending + bytes > _options.ReconnectBufferBytes)
            {
                throw new NatsConnectionException(
                    $"Disconnected, and the reconnect buffer holds {pending} bytes: {bytes} more would exceed NatsOptions.ReconnectBufferBytes ({_options.ReconnectBufferBytes}).");
            }
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

using System.Buffers;

namespace RecordKv.Nats.Internal;

/// <summary>
/// The outbound command buffer: writers append under <see cref="SyncRoot"/>; one writer loop swaps the
/// filled buffer for an empty one and sends it in one socket write. The writer loop is signalled once per
/// batch, not once per command, so while it is busy in a write every publish is a plain memory copy.
/// It outlives sessions: what is written while disconnected goes out after the reconnect.
/// </summary>
internal sealed class NatsOutbound : IBufferWriter<byte>
{
    private const int InitialCapacity = 64 * 1024;

    /// <summary>Buffers grown larger than this (by a big message) go back to the pool instead of being kept.</summary>
    private const int MaxKeptCapacity = 1024 * 1024;

    private readonly Lock _lock = new();

    // Not bounded: releases beyond the first are spurious wake-ups the writer loop tolerates.
    private readonly SemaphoreSlim _dataAvailable = new(0);
    private readonly long _highWater;
    private byte[] _current = ArrayPool<byte>.Shared.Rent(InitialCapacity);
    private int _length;
    private byte[]? _spare;
    private long _pending;
    private bool _signaled;
    private bool _completed;
    private TaskCompletionSource? _drained;

    public NatsOutbound(long highWater) => _highWater = highWater;

    /// <summary>Held while formatting commands into this buffer.</summary>
    public Lock SyncRoot => _lock;

    /// <summary>Bytes written and not yet sent (buffered or in the socket write under way).</summary>
    public long PendingBytes => Volatile.Read(ref _pending);

    /// <summary>Whether writers should wait for <see cref="WaitForDrainAsync"/> before writing more.</summary>
    public bool IsAboveHighWater => Volatile.Read(ref _pending) > _highWater;

    /// <summary>Under <see cref="SyncRoot"/>.</summary>
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureCapacity(Math.Max(sizeHint, 1));
        return _current.AsSpan(_length);
    }

    /// <summary>Under <see cref="SyncRoot"/>.</summary>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureCapacity(Math.Max(sizeHint, 1));
        return _current.AsMemory(_length);
    }

    /// <summary>Under <see cref="SyncRoot"/>.</summary>
    public void Advance(int count)
    {
        _length += count;
        Volatile.Write(ref _pending, _pending + count);
    }

    /// <summary>Under <see cref="SyncRoot"/>, after writing: true when the caller must <see cref="Signal"/> the writer loop (once per batch).</summary>
    public bool ClaimSignal()
    {
        if (_signaled)
        {
            return false;
        }

        _signaled = true;
        return true;
    }

    /// <summary>Wakes the writer loop; call outside <see cref="SyncRoot"/>.</summary>
    public void Signal() => _dataAvailable.Release();

    /// <summary>Writer loop: waits for a signal.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _dataAvailable.WaitAsync(cancellationToken);

    /// <summary>Writer loop: takes everything buffered, or returns false (and re-arms the signal) when empty.</summary>
    public bool TryTake(out byte[] batch, out int length)
    {
        lock (_lock)
        {
            if (_length == 0)
            {
                _signaled = false;
                batch = [];
                length = 0;
                return false;
            }

            batch = _current;
            length = _length;
            _current = _spare ?? ArrayPool<byte>.Shared.Rent(InitialCapacity);
            _spare = null;
            _length = 0;
            return true;
        }
    }

    /// <summary>Writer loop: the batch was sent (or lost with its connection); its buffer is reused.</summary>
    public void Release(byte[] batch, int length)
    {
        TaskCompletionSource? drained = null;
        lock (_lock)
        {
            Volatile.Write(ref _pending, _pending - length);
            if (_spare is null && batch.Length <= MaxKeptCapacity)
            {
                _spare = batch;
            }
            else
            {
                ArrayPool<byte>.Shared.Return(batch);
            }

            if (_drained is not null && _pending <= _highWater / 2)
            {
                drained = _drained;
                _drained = null;
            }
        }

        drained?.TrySetResult();
    }

    /// <summary>Completes when pending bytes fell to half the high-water mark.</summary>
    public Task WaitForDrainAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_pending <= _highWater)
            {
                return Task.CompletedTask;
            }

            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _drained.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Whether <see cref="Complete"/> was called; the writer loop stops once the buffer is empty.</summary>
    public bool IsCompleted
    {
        get
        {
            lock (_lock)
            {
                return _completed;
            }
        }
    }

    /// <summary>No more writes: the writer loop sends what is left and stops.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            _completed = true;
        }

        _dataAvailable.Release();
    }

    /// <summary>Fails waiting writers (the connection closed).</summary>
    public void FailWaiters(Exception error)
    {
        TaskCompletionSource? drained;
        lock (_lock)
        {
            drained = _drained;
            _drained = null;
        }

        drained?.TrySetException(error);
    }

    private void EnsureCapacity(int size)
    {
        if (_current.Length - _length >= size)
        {
            return;
        }

        var grown = ArrayPool<byte>.Shared.Rent(Math.Max(_current.Length * 2, _length + size));
        _current.AsSpan(0, _length).CopyTo(grown);
        ArrayPool<byte>.Shared.Return(_current);
        _current = grown;
    }
}

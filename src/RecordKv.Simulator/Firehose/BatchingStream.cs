namespace RecordKv.Simulator.Firehose;

/// <summary>
/// The upgraded connection under a subscriber's WebSocket. Between <see cref="BeginBatch"/> and
/// <see cref="FlushBatchAsync"/> the frames the WebSocket writes are gathered into one buffer and reach the socket
/// in a few large writes instead of one write (and one system call) per frame; outside a batch (control frames,
/// the close handshake) writes go straight through.
/// </summary>
internal sealed class BatchingStream : Stream
{
    private const int BufferSize = 128 * 1024;

    private readonly Stream _inner;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _count;
    private bool _batching;

    public BatchingStream(Stream inner)
    {
        _inner = inner;
    }

    public override bool CanRead => _inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => _inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Starts gathering writes.</summary>
    public void BeginBatch() => _batching = true;

    /// <summary>Writes what was gathered since <see cref="BeginBatch"/> and goes back to writing through.</summary>
    public async ValueTask FlushBatchAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _batching = false;
            await DrainAsync(cancellationToken).ConfigureAwait(false);
            await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_count + buffer.Length > BufferSize || !_batching)
            {
                await DrainAsync(cancellationToken).ConfigureAwait(false);
            }

            if (_batching && buffer.Length <= BufferSize)
            {
                buffer.Span.CopyTo(_buffer.AsSpan(_count));
                _count += buffer.Length;
            }
            else
            {
                await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => _batching ? Task.CompletedTask : _inner.FlushAsync(cancellationToken);

    public override void Flush()
    {
        if (!_batching)
        {
            _inner.Flush();
        }
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _lock.Dispose();
        }

        base.Dispose(disposing);
    }

    private async ValueTask DrainAsync(CancellationToken cancellationToken)
    {
        if (_count > 0)
        {
            var count = _count;
            _count = 0;
            await _inner.WriteAsync(_buffer.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
        }
    }
}

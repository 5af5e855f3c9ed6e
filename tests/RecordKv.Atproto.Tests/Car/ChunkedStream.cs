namespace RecordKv.Atproto.Tests.Car;

/// <summary>A read-only stream that returns at most a few bytes per read, so readers see data split at every possible point.</summary>
internal sealed class ChunkedStream(byte[] data, int maxChunk) : Stream
{
    private int _position;
    private int _reads;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => data.Length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        // Vary the chunk length so that boundaries fall everywhere: inside varints, CIDs and blocks.
        var chunk = Math.Min(Math.Min(buffer.Length, data.Length - _position), 1 + (_reads++ % maxChunk));
        data.AsSpan(_position, chunk).CopyTo(buffer);
        _position += chunk;
        return chunk;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

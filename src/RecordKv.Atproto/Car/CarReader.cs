using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Car;

/// <summary>
/// Reads a CAR v1 as it streams in (a <c>getRepo</c> response): <see cref="OpenAsync(Stream, CarReaderOptions?, CancellationToken)"/>
/// reads the header, then <see cref="ReadBlockAsync"/> yields blocks one by one, each checked against its CID.
/// Every length prefix is checked against <see cref="CarReaderOptions"/> before anything is buffered for it.
/// </summary>
public sealed class CarReader : IAsyncDisposable
{
    private readonly PipeReader _pipe;
    private readonly bool _ownsPipe;
    private readonly CarReaderOptions _options;
    private long _offset;
    private long _blockCount;
    private bool _finished;

    private CarReader(PipeReader pipe, bool ownsPipe, CarReaderOptions options, IReadOnlyList<Cid> roots, long offset)
    {
        _pipe = pipe;
        _ownsPipe = ownsPipe;
        _options = options;
        Roots = roots;
        _offset = offset;
    }

    /// <summary>The header's root CIDs.</summary>
    public IReadOnlyList<Cid> Roots { get; }

    /// <summary>The number of bytes of the CAR read so far.</summary>
    public long BytesConsumed => _offset;

    /// <summary>Reads the header from <paramref name="stream"/> (left open when the reader is disposed).</summary>
    public static ValueTask<CarReader> OpenAsync(Stream stream, CarReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var pipe = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        return OpenAsync(pipe, ownsPipe: true, options, cancellationToken);
    }

    /// <summary>Reads the header from <paramref name="pipe"/>; the caller keeps ownership of the pipe.</summary>
    public static ValueTask<CarReader> OpenAsync(PipeReader pipe, CarReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pipe);
        return OpenAsync(pipe, ownsPipe: false, options, cancellationToken);
    }

    /// <summary>Reads a whole in-memory CAR (e.g. a firehose <c>blocks</c> field); block data are slices of <paramref name="car"/>, not copies.</summary>
    public static CarContents ReadAll(ReadOnlyMemory<byte> car, CarReaderOptions? options = null)
    {
        var reader = new CarSpanReader(car.Span, options);
        var roots = reader.GetRoots();
        var blocks = new List<CarBlock>();
        while (reader.TryReadBlockRange(out var cid, out var dataStart, out var dataLength))
        {
            blocks.Add(new CarBlock(cid, car.Slice(dataStart, dataLength)));
        }

        return new CarContents(roots, blocks);
    }

    /// <summary>Reads the next block (its data in a new array), verified against its CID; null at the end of the CAR.</summary>
    public async ValueTask<CarBlock?> ReadBlockAsync(CancellationToken cancellationToken = default)
    {
        if (_finished)
        {
            return null;
        }

        while (true)
        {
            var result = await _pipe.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.IsEmpty && result.IsCompleted)
            {
                _pipe.AdvanceTo(buffer.End);
                _finished = true;
                return null;
            }

            if (TryReadSection(buffer, out var consumed, out var block))
            {
                _pipe.AdvanceTo(consumed);
                return block;
            }

            if (result.IsCompleted)
            {
                throw new CarFormatException($"CAR ends inside a section ({buffer.Length} bytes left)", _offset);
            }

            _pipe.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Every remaining block, in order.</summary>
    public async IAsyncEnumerable<CarBlock> ReadBlocksAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await ReadBlockAsync(cancellationToken).ConfigureAwait(false) is { } block)
        {
            yield return block;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_ownsPipe)
        {
            await _pipe.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static async ValueTask<CarReader> OpenAsync(PipeReader pipe, bool ownsPipe, CarReaderOptions? options, CancellationToken cancellationToken)
    {
        options ??= CarReaderOptions.Default;
        try
        {
            return await ReadHeaderAsync(pipe, ownsPipe, options, cancellationToken).ConfigureAwait(false);
        }
        catch when (ownsPipe)
        {
            // The caller never sees a reader to dispose, so the pipe this method created is released here.
            await pipe.CompleteAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async ValueTask<CarReader> ReadHeaderAsync(PipeReader pipe, bool ownsPipe, CarReaderOptions options, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await pipe.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var roots = new List<Cid>(1);
            if (TryReadHeader(buffer, options, roots, out var headerEnd))
            {
                pipe.AdvanceTo(buffer.GetPosition(headerEnd));
                return new CarReader(pipe, ownsPipe, options, roots, headerEnd);
            }

            if (result.IsCompleted)
            {
                throw new CarFormatException($"CAR ends inside the header ({buffer.Length} bytes)", 0);
            }

            pipe.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static bool TryReadHeader(ReadOnlySequence<byte> buffer, CarReaderOptions options, List<Cid> roots, out int headerEnd)
    {
        headerEnd = 0;
        Span<byte> prefix = stackalloc byte[Varint.MaxLength];
        var prefixBytes = CopyPrefix(buffer, prefix);
        if (!CarSections.TryReadLength(prefixBytes, 0, out var length, out var prefixLength))
        {
            return false;
        }

        var headerLength = CarSections.CheckHeaderLength(length, 0, options);
        if (buffer.Length - prefixLength < headerLength)
        {
            return false;
        }

        var header = buffer.Slice(prefixLength, headerLength);
        if (header.IsSingleSegment)
        {
            CarSections.ReadHeader(header.FirstSpan, prefixLength, roots, out _);
        }
        else
        {
            var copy = ArrayPool<byte>.Shared.Rent(headerLength);
            header.CopyTo(copy);
            CarSections.ReadHeader(copy.AsSpan(0, headerLength), prefixLength, roots, out _);
            ArrayPool<byte>.Shared.Return(copy);
        }

        headerEnd = prefixLength + headerLength;
        return true;
    }

    private bool TryReadSection(ReadOnlySequence<byte> buffer, out SequencePosition consumed, out CarBlock block)
    {
        consumed = default;
        block = default;
        Span<byte> prefix = stackalloc byte[Varint.MaxLength];
        var prefixBytes = CopyPrefix(buffer, prefix);
        if (!CarSections.TryReadLength(prefixBytes, _offset, out var length, out var prefixLength))
        {
            return false;
        }

        // The caps are checked as soon as the prefix is known, before waiting for (and buffering) the section.
        var sectionLength = CarSections.CheckSectionLength(length, _offset, _options);
        if (buffer.Length - prefixLength < sectionLength)
        {
            return false;
        }

        CarSections.CountBlock(ref _blockCount, _offset, _options);
        var section = buffer.Slice(prefixLength, sectionLength);
        Span<byte> cidBytes = stackalloc byte[Cid.EncodedLength];
        var cidLength = (int)Math.Min(Cid.EncodedLength, section.Length);
        section.Slice(0, cidLength).CopyTo(cidBytes);
        var cid = CarSections.ReadCid(cidBytes[..cidLength], _offset + prefixLength);
        var data = new byte[sectionLength - Cid.EncodedLength];
        section.Slice(Cid.EncodedLength).CopyTo(data);
        CarSections.Verify(cid, data, _offset);
        consumed = section.End;
        _offset += prefixLength + sectionLength;
        block = new CarBlock(cid, data);
        return true;
    }

    private static ReadOnlySpan<byte> CopyPrefix(ReadOnlySequence<byte> buffer, Span<byte> destination)
    {
        if (buffer.FirstSpan.Length >= destination.Length)
        {
            return buffer.FirstSpan[..destination.Length];
        }

        var length = (int)Math.Min(destination.Length, buffer.Length);
        buffer.Slice(0, length).CopyTo(destination);
        return destination[..length];
    }
}

using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using RecordKv.Atproto.Blocks;
using RecordKv.Atproto.Cbor;
using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Firehose;

/// <summary>
/// Reads an in-memory CAR v1 slice (a firehose <c>blocks</c> field) into a <see cref="BlockMap"/> whose blocks are
/// slices of the input, checking every block against its CID.
/// </summary>
internal static class CarSlice
{
    private const int MaxHeaderBytes = 1024;

    /// <summary>Parses the slice; throws <see cref="FirehoseFormatException"/> naming the offset of what is wrong.</summary>
    public static (IReadOnlyList<Cid> Roots, BlockMap Blocks) Read(ReadOnlyMemory<byte> car, int maxBlocks = int.MaxValue, int maxBlockBytes = int.MaxValue)
    {
        var span = car.Span;
        var position = 0;
        var headerLength = ReadVarint(span, ref position);
        if (headerLength == 0 || headerLength > MaxHeaderBytes || headerLength > (ulong)(span.Length - position))
        {
            Throw(position, $"header length {headerLength} is zero, over {MaxHeaderBytes} or beyond the input");
        }

        var roots = ReadHeader(span.Slice(position, (int)headerLength), position);
        position += (int)headerLength;
        var blocks = new BlockMap();
        while (position < span.Length)
        {
            var sectionStart = position;
            var sectionLength = ReadVarint(span, ref position);
            if (sectionLength > (ulong)(span.Length - position))
            {
                Throw(sectionStart, $"block section of {sectionLength} bytes runs past the end");
            }

            if (sectionLength > (ulong)maxBlockBytes + Cid.EncodedLength)
            {
                Throw(sectionStart, $"block section of {sectionLength} bytes exceeds the block limit of {maxBlockBytes} bytes");
            }

            if (blocks.Count >= maxBlocks)
            {
                Throw(sectionStart, $"more than {maxBlocks} blocks");
            }

            var section = span.Slice(position, (int)sectionLength);
            if (!Cid.TryRead(section, out var cid, out var cidLength))
            {
                Throw(position, "block CID is not a CIDv1 sha2-256 dag-cbor or raw CID");
            }

            var data = car.Slice(position + cidLength, (int)sectionLength - cidLength);
            if (!cid.Matches(data.Span))
            {
                Throw(position, $"block does not hash to its CID {cid}");
            }

            blocks.Add(cid, data);
            position += (int)sectionLength;
        }

        return (roots, blocks);
    }

    /// <summary>Writes a CAR v1 file: a header naming <paramref name="roots"/>, then each block once, in the order given.</summary>
    public static void Write(IBufferWriter<byte> output, IReadOnlyList<Cid> roots, IEnumerable<KeyValuePair<Cid, ReadOnlyMemory<byte>>> blocks)
    {
        var header = new ArrayBufferWriter<byte>(64 + (roots.Count * Cid.EncodedLength));
        var writer = new DagCborWriter(header);
        writer.WriteMapHeader(2);
        writer.WriteText("roots"u8);
        writer.WriteArrayHeader(roots.Count);
        foreach (var root in roots)
        {
            writer.WriteCid(root);
        }

        writer.WriteText("version"u8);
        writer.WriteInt64(1);
        WriteVarint(output, (ulong)header.WrittenCount);
        output.Write(header.WrittenSpan);
        Span<byte> cidBytes = stackalloc byte[Cid.EncodedLength];
        foreach (var (cid, data) in blocks)
        {
            var cidLength = cid.WriteTo(cidBytes);
            WriteVarint(output, (ulong)(cidLength + data.Length));
            output.Write(cidBytes[..cidLength]);
            output.Write(data.Span);
        }
    }

    private static void WriteVarint(IBufferWriter<byte> output, ulong value)
    {
        var span = output.GetSpan(10);
        var length = 0;
        while (value >= 0x80)
        {
            span[length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[length++] = (byte)value;
        output.Advance(length);
    }

    private static Cid[] ReadHeader(ReadOnlySpan<byte> header, int offset)
    {
        try
        {
            var reader = new DagCborReader(header);
            var count = reader.ReadMapHeader();
            Cid[]? roots = null;
            long version = 0;
            for (var i = 0; i < count; i++)
            {
                var key = reader.ReadTextUtf8();
                if (key.SequenceEqual("roots"u8))
                {
                    var rootCount = reader.ReadArrayHeader();
                    roots = new Cid[rootCount];
                    for (var r = 0; r < rootCount; r++)
                    {
                        roots[r] = reader.ReadCid();
                    }
                }
                else if (key.SequenceEqual("version"u8))
                {
                    version = reader.ReadInt64();
                }
                else
                {
                    reader.SkipValue();
                }
            }

            if (!reader.IsAtEnd)
            {
                Throw(offset, "header has trailing bytes");
            }

            if (version != 1)
            {
                Throw(offset, $"header version is {version}, not 1");
            }

            return roots ?? throw new FirehoseFormatException($"CAR slice at offset {offset}: header has no roots.");
        }
        catch (CborFormatException exception)
        {
            throw new FirehoseFormatException($"CAR slice at offset {offset}: invalid header: {exception.Message}", exception);
        }
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> span, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 63; shift += 7)
        {
            if (position >= span.Length)
            {
                Throw(position, "truncated length varint");
            }

            var b = span[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        Throw(position, "length varint is too long");
        return 0;
    }

    [DoesNotReturn]
    private static void Throw(int offset, string message) =>
        throw new FirehoseFormatException($"CAR slice at offset {offset}: {message}.");
}

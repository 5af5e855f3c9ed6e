using RecordKv.Atproto.Blocks;
using RecordKv.Atproto.Car;
using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Firehose;

/// <summary>Turns an in-memory CAR (a firehose <c>blocks</c> field) into a <see cref="BlockMap"/> of slices of the input.</summary>
internal static class CarSlice
{
    /// <summary>Parses the CAR, checking every block against its CID; blocks are slices of <paramref name="car"/>, not copies.</summary>
    /// <exception cref="CarFormatException">The CAR is malformed, over a cap, or a block does not hash to its CID.</exception>
    public static (IReadOnlyList<Cid> Roots, BlockMap Blocks) Read(ReadOnlyMemory<byte> car, CarReaderOptions? options = null)
    {
        var reader = new CarSpanReader(car.Span, options);
        var roots = reader.GetRoots();

        // Sized up front: growing the map as blocks come would allocate its tables four or five times per commit.
        var blocks = new BlockMap(CountSections(car.Span, reader.BytesConsumed));
        while (reader.TryReadBlockRange(out var cid, out var dataStart, out var dataLength))
        {
            // A CAR may repeat a block; the first copy is kept (both hash to the same CID).
            blocks.Add(cid, car.Slice(dataStart, dataLength));
        }

        return (roots, blocks);
    }

    // The number of sections whose length prefixes chain to the end of the input; the reader, not this count, rejects
    // a malformed CAR. A section takes at least two bytes, so the count never exceeds half the input's length.
    private static int CountSections(ReadOnlySpan<byte> car, int offset)
    {
        var count = 0;
        while (offset < car.Length
            && Varint.TryRead(car[offset..], out var length, out var prefixLength) == VarintStatus.Done
            && length > 0
            && length <= (ulong)(car.Length - offset - prefixLength))
        {
            offset += prefixLength + (int)length;
            count++;
        }

        return count;
    }
}

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
        var blocks = new BlockMap();
        while (reader.TryReadBlockRange(out var cid, out var dataStart, out var dataLength))
        {
            // A CAR may repeat a block; the first copy is kept (both hash to the same CID).
            blocks.Add(cid, car.Slice(dataStart, dataLength));
        }

        return (roots, blocks);
    }
}

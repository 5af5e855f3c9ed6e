using System.Buffers;
using RecordKv.Atproto.Cbor;
using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Tests.Repo;

/// <summary>Writes and edits small CAR v1 files for tests.</summary>
internal static class CarTestData
{
    public static byte[] Write(IReadOnlyList<Cid> roots, IEnumerable<(Cid Cid, byte[] Data)> blocks)
    {
        var header = new ArrayBufferWriter<byte>();
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
        var output = new List<byte>();
        WriteVarint(output, (ulong)header.WrittenCount);
        output.AddRange(header.WrittenSpan.ToArray());
        foreach (var (cid, data) in blocks)
        {
            var cidBytes = cid.ToBytes();
            WriteVarint(output, (ulong)(cidBytes.Length + data.Length));
            output.AddRange(cidBytes);
            output.AddRange(data);
        }

        return output.ToArray();
    }

    public static (List<Cid> Roots, List<(Cid Cid, byte[] Data)> Blocks) Read(byte[] car)
    {
        var position = 0;
        var headerLength = (int)ReadVarint(car, ref position);
        var reader = new DagCborReader(car.AsSpan(position, headerLength));
        var roots = new List<Cid>();
        var count = reader.ReadMapHeader();
        for (var i = 0; i < count; i++)
        {
            if (reader.ReadText() == "roots")
            {
                var n = reader.ReadArrayHeader();
                for (var r = 0; r < n; r++)
                {
                    roots.Add(reader.ReadCid());
                }
            }
            else
            {
                reader.SkipValue();
            }
        }

        position += headerLength;
        var blocks = new List<(Cid, byte[])>();
        while (position < car.Length)
        {
            var length = (int)ReadVarint(car, ref position);
            var cid = Cid.Read(car.AsSpan(position), out var cidLength);
            blocks.Add((cid, car.AsSpan(position + cidLength, length - cidLength).ToArray()));
            position += length;
        }

        return (roots, blocks);
    }

    public static byte[] WithoutBlock(byte[] car, Cid cid)
    {
        var (roots, blocks) = Read(car);
        return Write(roots, blocks.Where(b => b.Cid != cid));
    }

    private static void WriteVarint(List<byte> output, ulong value)
    {
        while (value >= 0x80)
        {
            output.Add((byte)(value | 0x80));
            value >>= 7;
        }

        output.Add((byte)value);
    }

    private static ulong ReadVarint(byte[] data, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }
}

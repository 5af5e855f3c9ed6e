using System.Buffers;
using RecordKv.Atproto.Car;
using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Tests.Repo;

/// <summary>Writes and edits small CAR v1 files for tests.</summary>
internal static class CarTestData
{
    public static byte[] Write(IReadOnlyList<Cid> roots, IEnumerable<(Cid Cid, byte[] Data)> blocks)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new CarWriter(output);
        writer.WriteHeader(roots);
        foreach (var (cid, data) in blocks)
        {
            writer.WriteBlock(cid, data);
        }

        return output.WrittenSpan.ToArray();
    }

    public static byte[] WithoutBlock(byte[] car, Cid cid)
    {
        var contents = CarReader.ReadAll(car);
        return Write(contents.Roots, contents.Blocks.Where(b => b.Cid != cid).Select(b => (b.Cid, b.Data.ToArray())));
    }
}

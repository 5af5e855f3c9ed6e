using System.Buffers;
using RecordKv.Atproto.Car;
using RecordKv.Atproto.Cids;

namespace RecordKv.Simulator.Encoding;

/// <summary>Writes an in-memory CAR v1 with one root.</summary>
internal sealed class CarEncoder
{
    private readonly ArrayBufferWriter<byte> _buffer;
    private readonly CarWriter _writer;

    public CarEncoder(Cid root, int capacity)
    {
        _buffer = new ArrayBufferWriter<byte>(capacity);
        _writer = new CarWriter(_buffer);
        _writer.WriteHeader([root]);
    }

    public void Add(Cid cid, ReadOnlySpan<byte> block) => _writer.WriteBlock(cid, block);

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}

using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Mst;

/// <summary>
/// A strict reader for the one DAG-CBOR shape MST nodes have. It accepts only canonical encodings (shortest
/// headers, definite lengths, tag 42 links with the 0x00 prefix), so a node block decodes only if it is valid
/// DAG-CBOR; anything else is an <see cref="MstFormatException"/> naming the node and the offset.
/// </summary>
internal ref struct MstNodeReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly Cid _node;
    private int _offset;

    public MstNodeReader(Cid node, ReadOnlySpan<byte> data)
    {
        _node = node;
        _data = data;
    }

    public readonly bool IsAtEnd => _offset == _data.Length;

    public int ReadMapHeader() => (int)ReadHeader(5, int.MaxValue);

    public int ReadArrayHeader() => (int)ReadHeader(4, int.MaxValue);

    public ulong ReadUnsigned(ulong max) => ReadHeader(0, max);

    /// <summary>Reads a one-letter text map key and checks it is <paramref name="name"/>.</summary>
    public void ReadFieldName(char name)
    {
        if (_offset + 2 > _data.Length || _data[_offset] != 0x61 || _data[_offset + 1] != (byte)name)
        {
            Fail($"expected the field name \"{name}\"");
        }

        _offset += 2;
    }

    public ReadOnlySpan<byte> ReadBytes(int maxLength)
    {
        var length = (int)ReadHeader(2, (ulong)maxLength);
        if (length > _data.Length - _offset)
        {
            Fail($"a byte string of {length} bytes runs past the end of the block");
        }

        var bytes = _data.Slice(_offset, length);
        _offset += length;
        return bytes;
    }

    public Cid? ReadLinkOrNull()
    {
        if (_offset < _data.Length && _data[_offset] == 0xf6)
        {
            _offset++;
            return null;
        }

        return ReadLink();
    }

    public Cid ReadLink()
    {
        // Tag 42, a byte string of 37 bytes: the 0x00 multibase-identity prefix and the binary CID.
        if (_offset + 5 > _data.Length
            || _data[_offset] != 0xd8
            || _data[_offset + 1] != 0x2a
            || _data[_offset + 2] != 0x58
            || _data[_offset + 3] != Cid.EncodedLength + 1
            || _data[_offset + 4] != 0x00)
        {
            Fail("expected a CID link (tag 42 over a 37-byte string)");
        }

        if (!Cid.TryRead(_data[(_offset + 5)..], out var cid, out var consumed))
        {
            Fail("the link is not a CIDv1 sha2-256 dag-cbor or raw CID");
        }

        _offset += 5 + consumed;
        return cid;
    }

    private ulong ReadHeader(int majorType, ulong max)
    {
        if (_offset >= _data.Length)
        {
            Fail("unexpected end of the block");
        }

        var initial = _data[_offset];
        if (initial >> 5 != majorType)
        {
            Fail($"expected CBOR major type {majorType}, found {initial >> 5}");
        }

        var info = initial & 0x1f;
        ulong value;
        int length;
        switch (info)
        {
            case < 24:
                value = (ulong)info;
                length = 1;
                break;
            case 24 when _offset + 2 <= _data.Length:
                value = _data[_offset + 1];
                length = 2;
                if (value < 24)
                {
                    Fail("a non-minimal integer encoding");
                }

                break;
            case 25 when _offset + 3 <= _data.Length:
                value = BinaryPrimitives.ReadUInt16BigEndian(_data[(_offset + 1)..]);
                length = 3;
                if (value <= byte.MaxValue)
                {
                    Fail("a non-minimal integer encoding");
                }

                break;
            case 26 when _offset + 5 <= _data.Length:
                value = BinaryPrimitives.ReadUInt32BigEndian(_data[(_offset + 1)..]);
                length = 5;
                if (value <= ushort.MaxValue)
                {
                    Fail("a non-minimal integer encoding");
                }

                break;
            case 27 when _offset + 9 <= _data.Length:
                value = BinaryPrimitives.ReadUInt64BigEndian(_data[(_offset + 1)..]);
                length = 9;
                if (value <= uint.MaxValue)
                {
                    Fail("a non-minimal integer encoding");
                }

                break;
            default:
                Fail(info >= 28 ? "an indefinite or reserved length" : "unexpected end of the block");
                return 0;
        }

        if (value > max)
        {
            Fail($"the value {value} exceeds the limit of {max}");
        }

        _offset += length;
        return value;
    }

    [DoesNotReturn]
    private readonly void Fail(string message) =>
        throw new MstFormatException(_node, $"{message} at offset {_offset}");
}

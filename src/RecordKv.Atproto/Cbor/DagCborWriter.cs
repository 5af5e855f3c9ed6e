using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;
using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Cbor;

/// <summary>
/// Writes canonical DAG-CBOR (minimal heads, definite lengths) to an <see cref="IBufferWriter{T}"/>.
/// Map keys must be written by the caller in canonical order (<see cref="DagCborKeyOrder"/>): the writer does not sort.
/// </summary>
public sealed class DagCborWriter
{
    private const int MaxHeadLength = 9;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private IBufferWriter<byte> _output;

    /// <summary>Creates a writer appending to <paramref name="output"/>.</summary>
    public DagCborWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    /// <summary>Points the writer at another output, so one writer serves many messages without allocating.</summary>
    public void Reset(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    /// <summary>Writes a map header for <paramref name="count"/> entries; write that many key, value pairs next, keys in canonical order.</summary>
    public void WriteMapHeader(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        WriteHead(5, (ulong)count);
    }

    /// <summary>Writes an array header for <paramref name="count"/> items.</summary>
    public void WriteArrayHeader(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        WriteHead(4, (ulong)count);
    }

    /// <summary>Writes a text string; throws on a string that is not valid UTF-16 (a lone surrogate).</summary>
    public void WriteText(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var length = StrictUtf8.GetByteCount(value);
        WriteHead(3, (ulong)length);
        var span = _output.GetSpan(length);
        StrictUtf8.GetBytes(value, span);
        _output.Advance(length);
    }

    /// <summary>Writes a text string from UTF-8 bytes; throws if they are not valid UTF-8.</summary>
    public void WriteText(ReadOnlySpan<byte> utf8)
    {
        if (!Utf8.IsValid(utf8))
        {
            throw new ArgumentException("Text must be valid UTF-8.", nameof(utf8));
        }

        WriteHead(3, (ulong)utf8.Length);
        WriteRaw(utf8);
    }

    /// <summary>Writes a byte string.</summary>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteHead(2, (ulong)value.Length);
        WriteRaw(value);
    }

    /// <summary>Writes an integer in its shortest form.</summary>
    public void WriteInt64(long value)
    {
        if (value >= 0)
        {
            WriteHead(0, (ulong)value);
        }
        else
        {
            // -1 - value, without overflow at long.MinValue.
            WriteHead(1, (ulong)~value);
        }
    }

    /// <summary>Writes true or false.</summary>
    public void WriteBoolean(bool value) => WriteByte(value ? (byte)0xf5 : (byte)0xf4);

    /// <summary>Writes null.</summary>
    public void WriteNull() => WriteByte(0xf6);

    /// <summary>Writes a CID link: tag 42 over 0x00 and the binary CID.</summary>
    public void WriteCid(Cid cid)
    {
        if (cid.IsDefault)
        {
            throw new ArgumentException("default(Cid) is not a CID.", nameof(cid));
        }

        const int length = 2 + 2 + 1 + Cid.EncodedLength;
        var span = _output.GetSpan(length);
        span[0] = 0xd8; // tag, 1-byte argument
        span[1] = 42;
        span[2] = 0x58; // byte string, 1-byte length
        span[3] = 1 + Cid.EncodedLength;
        span[4] = 0x00; // the identity multibase prefix DAG-CBOR requires
        cid.WriteTo(span[5..]);
        _output.Advance(length);
    }

    /// <summary>Copies an already encoded DAG-CBOR value; the caller vouches that it is canonical.</summary>
    public void WriteEncodedValue(ReadOnlySpan<byte> encoded) => WriteRaw(encoded);

    private void WriteHead(byte major, ulong argument)
    {
        var span = _output.GetSpan(MaxHeadLength);
        var initial = (byte)(major << 5);
        int length;
        if (argument < 24)
        {
            span[0] = (byte)(initial | (byte)argument);
            length = 1;
        }
        else if (argument <= byte.MaxValue)
        {
            span[0] = (byte)(initial | 24);
            span[1] = (byte)argument;
            length = 2;
        }
        else if (argument <= ushort.MaxValue)
        {
            span[0] = (byte)(initial | 25);
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)argument);
            length = 3;
        }
        else if (argument <= uint.MaxValue)
        {
            span[0] = (byte)(initial | 26);
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)argument);
            length = 5;
        }
        else
        {
            span[0] = (byte)(initial | 27);
            BinaryPrimitives.WriteUInt64BigEndian(span[1..], argument);
            length = 9;
        }

        _output.Advance(length);
    }

    private void WriteByte(byte value)
    {
        _output.GetSpan(1)[0] = value;
        _output.Advance(1);
    }

    private void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        bytes.CopyTo(_output.GetSpan(bytes.Length));
        _output.Advance(bytes.Length);
    }
}

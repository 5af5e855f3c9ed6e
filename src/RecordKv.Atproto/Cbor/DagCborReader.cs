using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;
using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Cbor;

/// <summary>
/// A forward-only reader of strict DAG-CBOR over contiguous bytes, like <see cref="System.Text.Json.Utf8JsonReader"/>.
/// It enforces every DAG-CBOR rule itself (minimal encodings, definite lengths, no floats, tag 42 only,
/// text map keys in canonical order without duplicates, a nesting cap), so callers never re-check them.
/// </summary>
/// <remarks>
/// Callers read a container by reading its header and then exactly that many items (twice as many for a map:
/// key, value, key, value…). Nothing is allocated except by <see cref="ReadText"/>.
/// </remarks>
public ref struct DagCborReader
{
    private const byte MajorUnsigned = 0;
    private const byte MajorNegative = 1;
    private const byte MajorBytes = 2;
    private const byte MajorText = 3;
    private const byte MajorArray = 4;
    private const byte MajorMap = 5;
    private const byte MajorTag = 6;
    private const byte MajorSimple = 7;
    private const byte False = 0xf4;
    private const byte True = 0xf5;
    private const byte NullByte = 0xf6;
    private const ulong CidTag = 42;
    private const int CidLinkLength = 1 + Cid.EncodedLength;

    // 0xd8 0x2a (tag 42), 0x58 0x25 (a byte string of 37 bytes).
    private const uint CanonicalLinkHead = 0xd82a5825;

    private readonly ReadOnlySpan<byte> _data;
    private readonly int _maxDepth;
    private readonly int _maxContainerLength;
    private int _position;
    private int _depth;
    private ContainerStack _stack;

    /// <summary>Creates a reader over <paramref name="data"/> with the default limits.</summary>
    public DagCborReader(ReadOnlySpan<byte> data)
        : this(data, DagCborReaderOptions.Default)
    {
    }

    /// <summary>Creates a reader over <paramref name="data"/> with the given limits (the defaults if null).</summary>
    public DagCborReader(ReadOnlySpan<byte> data, DagCborReaderOptions? options)
    {
        // The inline container stack is written before it is read (frames are set on push), so skip zeroing its 768 bytes.
        Unsafe.SkipInit(out this);
        options ??= DagCborReaderOptions.Default;
        _data = data;
        _maxDepth = options.MaxDepth;
        _maxContainerLength = options.MaxContainerLength;
        _position = 0;
        _depth = 0;
    }

    /// <summary>The number of bytes read so far, which is also the offset of the next item.</summary>
    public readonly int BytesConsumed => _position;

    /// <summary>True when every byte of the input has been read.</summary>
    public readonly bool IsAtEnd => _position >= _data.Length;

    /// <summary>The number of arrays and maps currently open.</summary>
    public readonly int CurrentDepth => _depth;

    /// <summary>The type of the next value, without reading it; throws if the next byte starts no data-model value.</summary>
    public readonly CborValueType PeekType()
    {
        if (_position >= _data.Length)
        {
            CborThrow.Truncated(_position, "a value");
        }

        var initial = _data[_position];
        switch (initial >> 5)
        {
            case MajorUnsigned: return CborValueType.UnsignedInteger;
            case MajorNegative: return CborValueType.NegativeInteger;
            case MajorBytes: return CborValueType.ByteString;
            case MajorText: return CborValueType.TextString;
            case MajorArray: return CborValueType.Array;
            case MajorMap: return CborValueType.Map;
            case MajorTag: return CborValueType.Link;
            default:
                return initial switch
                {
                    False or True => CborValueType.Boolean,
                    NullByte => CborValueType.Null,
                    _ => CborThrow.BadSimple<CborValueType>(_position, initial),
                };
        }
    }

    /// <summary>Reads a map header and returns its number of entries; the caller then reads key, value pairs.</summary>
    public int ReadMapHeader()
    {
        var start = BeginItem(MajorMap);
        var count = ReadLength(start, MajorMap);
        OpenContainer(start, count, isMap: true);
        return count;
    }

    /// <summary>Reads an array header and returns its number of items.</summary>
    public int ReadArrayHeader()
    {
        var start = BeginItem(MajorArray);
        var count = ReadLength(start, MajorArray);
        OpenContainer(start, count, isMap: false);
        return count;
    }

    /// <summary>Reads a text string (or map key) and returns its validated UTF-8 bytes, a slice of the input.</summary>
    public ReadOnlySpan<byte> ReadTextUtf8()
    {
        var start = _position;
        var isKey = IsKeyPosition();
        if (!isKey)
        {
            RequireMajor(start, MajorText);
        }
        else if (_position >= _data.Length)
        {
            CborThrow.Truncated(start, "a map key");
        }
        else if (_data[start] >> 5 != MajorText)
        {
            CborThrow.KeyNotText(start, _data[start]);
        }

        var length = ReadLength(start, MajorText);
        var text = _data.Slice(_position, length);

        // One-letter ASCII keys (MST nodes are made of them) need neither the UTF-8 validator nor the general compare.
        if (length != 1 || text[0] >= 0x80)
        {
            if (!Utf8.IsValid(text))
            {
                CborThrow.InvalidUtf8(_position + FindInvalidUtf8(text));
            }
        }

        if (isKey)
        {
            CheckKeyOrder(start, _position, length);
        }

        _position += length;
        CompleteItem();
        return text;
    }

    /// <summary>
    /// Reads the map key made of the one ASCII character <paramref name="name"/> when it comes next (with the same
    /// key-order checks as <see cref="ReadTextUtf8"/>) and returns true; otherwise reads nothing and returns false.
    /// </summary>
    /// <remarks>Fixed schemas of one-letter keys (MST nodes have six per entry) skip the general text path.</remarks>
    internal bool TryReadOneLetterKey(byte name)
    {
        var start = _position;
        if (name >= 0x80
            || _data.Length - start < 2
            || _data[start] != (MajorText << 5 | 1)
            || _data[start + 1] != name
            || !IsKeyPosition())
        {
            return false;
        }

        CheckKeyOrder(start, start + 1, 1);
        _position = start + 2;
        CompleteItem();
        return true;
    }

    /// <summary>Reads a text string (or map key) into a new string.</summary>
    public string ReadText() => Encoding.UTF8.GetString(ReadTextUtf8());

    /// <summary>Reads a byte string and returns it as a slice of the input.</summary>
    public ReadOnlySpan<byte> ReadBytes()
    {
        var start = BeginItem(MajorBytes);
        var length = ReadLength(start, MajorBytes);
        var bytes = _data.Slice(_position, length);
        _position += length;
        CompleteItem();
        return bytes;
    }

    /// <summary>Reads an integer (major type 0 or 1) that fits a signed 64-bit value.</summary>
    public long ReadInt64()
    {
        var start = _position;
        CheckNotKey(start);
        if (start >= _data.Length)
        {
            CborThrow.Truncated(start, "an integer");
        }

        var major = (byte)(_data[start] >> 5);
        if (major is not (MajorUnsigned or MajorNegative))
        {
            CborThrow.WrongType(start, "an integer", _data[start]);
        }

        var argument = ReadArgument(start);
        if (argument > long.MaxValue)
        {
            CborThrow.IntegerOutOfRange(start);
        }

        CompleteItem();
        return major == MajorUnsigned ? (long)argument : -1 - (long)argument;
    }

    /// <summary>Reads true or false.</summary>
    public bool ReadBoolean()
    {
        var start = _position;
        CheckNotKey(start);
        if (start >= _data.Length)
        {
            CborThrow.Truncated(start, "a boolean");
        }

        var initial = _data[start];
        if (initial is not (False or True))
        {
            CborThrow.WrongType(start, "a boolean", initial);
        }

        _position++;
        CompleteItem();
        return initial == True;
    }

    /// <summary>Reads null.</summary>
    public void ReadNull()
    {
        if (!TryReadNull())
        {
            CborThrow.WrongType(_position, "null", _data[_position]);
        }
    }

    /// <summary>Reads null if it comes next and returns true; otherwise reads nothing and returns false.</summary>
    public bool TryReadNull()
    {
        var start = _position;
        CheckNotKey(start);
        if (start >= _data.Length)
        {
            CborThrow.Truncated(start, "a value");
        }

        if (_data[start] != NullByte)
        {
            return false;
        }

        _position++;
        CompleteItem();
        return true;
    }

    /// <summary>Reads a CID link: tag 42 over a byte string of 0x00 then the binary CID.</summary>
    public Cid ReadCid()
    {
        // Every link atproto writes has the same five-byte head (tag 42, a 37-byte string, the 0x00 prefix), and
        // a match leaves nothing non-minimal to reject, so it skips the general header parsing.
        var start = _position;
        if (_data.Length - start >= 5 + Cid.EncodedLength
            && BinaryPrimitives.ReadUInt32BigEndian(_data[start..]) == CanonicalLinkHead
            && _data[start + 4] == 0x00
            && Cid.TryRead(_data.Slice(start + 5, Cid.EncodedLength), out var fastCid, out _))
        {
            CheckNotKey(start);
            _position = start + 5 + Cid.EncodedLength;
            CompleteItem();
            return fastCid;
        }

        return ReadCidSlow();
    }

    private Cid ReadCidSlow()
    {
        var start = BeginItem(MajorTag);
        var tag = ReadArgument(start);
        if (tag != CidTag)
        {
            CborThrow.BadTag(start, tag);
        }

        var bytesStart = _position;
        RequireMajor(bytesStart, MajorBytes);
        var length = ReadLength(bytesStart, MajorBytes);
        var content = _data.Slice(_position, length);
        if (length == 0 || content[0] != 0x00)
        {
            CborThrow.CidWithoutPrefix(_position);
        }

        if (!Cid.TryRead(content[1..], out var cid, out _) || length != CidLinkLength)
        {
            CborThrow.BadCid(_position + 1, content[1..]);
        }

        _position += length;
        CompleteItem();
        return cid;
    }

    /// <summary>Reads and validates one whole value, including everything nested in it.</summary>
    public void SkipValue()
    {
        var depth = _depth;
        ReadAnyItem();
        while (_depth > depth)
        {
            ReadAnyItem();
        }
    }

    /// <summary>Reads and validates one whole value and returns its encoded bytes, a slice of the input.</summary>
    public ReadOnlySpan<byte> ReadEncodedValue()
    {
        var start = _position;
        SkipValue();
        return _data[start.._position];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly bool IsKeyPosition()
    {
        if (_depth == 0)
        {
            return false;
        }

        ref readonly var frame = ref _stack[_depth - 1];
        return frame.KeyStart != ContainerFrame.ArrayMarker && (frame.Remaining & 1) == 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void CheckNotKey(int start)
    {
        if (IsKeyPosition())
        {
            CborThrow.KeyNotText(start, start < _data.Length ? _data[start] : (byte)0);
        }
    }

    /// <summary>Checks the next item is not in a key position and has the expected major type; returns its offset.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly int BeginItem(byte major)
    {
        var start = _position;
        CheckNotKey(start);
        RequireMajor(start, major);
        return start;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void RequireMajor(int start, byte major)
    {
        if (start >= _data.Length)
        {
            CborThrow.Truncated(start, CborThrow.DescribeMajor(major));
        }

        if (_data[start] >> 5 != major)
        {
            CborThrow.WrongType(start, CborThrow.DescribeMajor(major), _data[start]);
        }
    }

    /// <summary>Reads the head at <paramref name="start"/> (major types 0-6) and returns its argument; rejects non-minimal, reserved and indefinite encodings.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong ReadArgument(int start)
    {
        var additional = _data[start] & 0x1f;
        if (additional < 24)
        {
            _position = start + 1;
            return (ulong)additional;
        }

        return ReadLongArgument(start, additional);
    }

    private ulong ReadLongArgument(int start, int additional)
    {
        var available = _data.Length - start - 1;
        var argument = _data[(start + 1)..];
        ulong value;
        switch (additional)
        {
            case 24:
                if (available < 1)
                {
                    CborThrow.Truncated(start, "a 1-byte argument");
                }

                value = argument[0];
                if (value < 24)
                {
                    CborThrow.NonMinimal(start, value);
                }

                _position = start + 2;
                return value;
            case 25:
                if (available < 2)
                {
                    CborThrow.Truncated(start, "a 2-byte argument");
                }

                value = BinaryPrimitives.ReadUInt16BigEndian(argument);
                if (value <= byte.MaxValue)
                {
                    CborThrow.NonMinimal(start, value);
                }

                _position = start + 3;
                return value;
            case 26:
                if (available < 4)
                {
                    CborThrow.Truncated(start, "a 4-byte argument");
                }

                value = BinaryPrimitives.ReadUInt32BigEndian(argument);
                if (value <= ushort.MaxValue)
                {
                    CborThrow.NonMinimal(start, value);
                }

                _position = start + 5;
                return value;
            case 27:
                if (available < 8)
                {
                    CborThrow.Truncated(start, "an 8-byte argument");
                }

                value = BinaryPrimitives.ReadUInt64BigEndian(argument);
                if (value <= uint.MaxValue)
                {
                    CborThrow.NonMinimal(start, value);
                }

                _position = start + 9;
                return value;
            case 31:
                return CborThrow.Indefinite<ulong>(start, _data[start]);
            default:
                return CborThrow.Reserved<ulong>(start, _data[start]);
        }
    }

    /// <summary>Reads a string or container length and checks it against the remaining input (and the container cap).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ReadLength(int start, byte major)
    {
        var length = ReadArgument(start);
        var remaining = (ulong)(_data.Length - _position);
        if (major is MajorArray or MajorMap)
        {
            if (length > (ulong)_maxContainerLength)
            {
                CborThrow.ContainerTooLong(start, length, _maxContainerLength);
            }

            // Every item takes at least one byte, so a count beyond the remaining bytes cannot be honest.
            var minimumBytes = major == MajorMap ? length * 2 : length;
            if (minimumBytes > remaining)
            {
                CborThrow.LengthBeyondInput(start, length, remaining);
            }
        }
        else if (length > remaining)
        {
            CborThrow.LengthBeyondInput(start, length, remaining);
        }

        return (int)length;
    }

    private void OpenContainer(int start, int count, bool isMap)
    {
        if (count == 0)
        {
            CompleteItem();
            return;
        }

        if (_depth >= _maxDepth)
        {
            CborThrow.TooDeep(start, _maxDepth);
        }

        ref var frame = ref _stack[_depth++];
        frame.Remaining = isMap ? count * 2 : count;
        frame.KeyStart = isMap ? ContainerFrame.NoKeyYet : ContainerFrame.ArrayMarker;
        frame.KeyLength = 0;
    }

    /// <summary>Counts a finished item against its container and closes every container that it completes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CompleteItem()
    {
        var depth = _depth;
        while (depth > 0 && --_stack[depth - 1].Remaining == 0)
        {
            depth--;
        }

        _depth = depth;
    }

    private void CheckKeyOrder(int keyItemStart, int keyStart, int keyLength)
    {
        ref var frame = ref _stack[_depth - 1];
        if (frame.KeyStart >= 0 && frame.KeyLength == keyLength && keyLength == 1)
        {
            if (_data[frame.KeyStart] >= _data[keyStart])
            {
                CborThrow.KeyOrder(keyItemStart, _data[frame.KeyStart] == _data[keyStart], _data.Slice(keyStart, keyLength));
            }
        }
        else if (frame.KeyStart >= 0)
        {
            var order = DagCborKeyOrder.Compare(
                _data.Slice(frame.KeyStart, frame.KeyLength),
                _data.Slice(keyStart, keyLength));
            if (order >= 0)
            {
                CborThrow.KeyOrder(keyItemStart, order == 0, _data.Slice(keyStart, keyLength));
            }
        }

        frame.KeyStart = keyStart;
        frame.KeyLength = keyLength;
    }

    private void ReadAnyItem()
    {
        if (_position >= _data.Length)
        {
            CborThrow.Truncated(_position, "a value");
        }

        switch (_data[_position] >> 5)
        {
            case MajorUnsigned or MajorNegative:
                ReadInt64();
                break;
            case MajorBytes:
                ReadBytes();
                break;
            case MajorText:
                ReadTextUtf8();
                break;
            case MajorArray:
                ReadArrayHeader();
                break;
            case MajorMap:
                ReadMapHeader();
                break;
            case MajorTag:
                ReadCid();
                break;
            default:
                var initial = _data[_position];
                if (initial is False or True)
                {
                    ReadBoolean();
                }
                else if (initial == NullByte)
                {
                    ReadNull();
                }
                else
                {
                    CheckNotKey(_position);
                    CborThrow.BadSimple<int>(_position, initial);
                }

                break;
        }
    }

    private static int FindInvalidUtf8(ReadOnlySpan<byte> text)
    {
        var offset = 0;
        while (offset < text.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(text[offset..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return 0;
    }
}

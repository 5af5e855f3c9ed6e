using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Car;

/// <summary>
/// Reads a CAR v1 held in memory (a firehose <c>blocks</c> field) without copying or allocating:
/// the header is parsed by the constructor, then <see cref="TryReadBlock"/> yields each block, checked against its CID.
/// </summary>
public ref struct CarSpanReader
{
    private readonly ReadOnlySpan<byte> _car;
    private readonly CarReaderOptions _options;
    private readonly int _headerStart;
    private readonly int _headerLength;
    private int _position;
    private long _blockCount;

    /// <summary>Parses the header of <paramref name="car"/>; throws <see cref="CarFormatException"/> if it is malformed or over the caps.</summary>
    public CarSpanReader(ReadOnlySpan<byte> car, CarReaderOptions? options = null)
    {
        _car = car;
        _options = options ?? CarReaderOptions.Default;
        if (!CarSections.TryReadLength(car, 0, out var length, out var prefixLength))
        {
            throw new CarFormatException($"CAR ends inside the header ({car.Length} bytes)", 0);
        }

        _headerLength = CarSections.CheckHeaderLength(length, 0, _options);
        _headerStart = prefixLength;
        if (car.Length - prefixLength < _headerLength)
        {
            throw new CarFormatException($"CAR ends inside the header ({car.Length} bytes)", 0);
        }

        RootCount = CarSections.ReadHeader(car.Slice(_headerStart, _headerLength), _headerStart, null, out var root);
        Root = root;
        _position = _headerStart + _headerLength;
    }

    /// <summary>The first root CID (<c>default</c> if the header lists none).</summary>
    public Cid Root { get; }

    /// <summary>The number of roots in the header.</summary>
    public int RootCount { get; }

    /// <summary>The number of bytes read so far.</summary>
    public readonly int BytesConsumed => _position;

    /// <summary>All roots of the header, in order.</summary>
    public readonly List<Cid> GetRoots()
    {
        var roots = new List<Cid>(RootCount);
        CarSections.ReadHeader(_car.Slice(_headerStart, _headerLength), _headerStart, roots, out _);
        return roots;
    }

    /// <summary>Reads the next block, verified against its CID; false at the end of the CAR.</summary>
    public bool TryReadBlock(out Cid cid, out ReadOnlySpan<byte> data)
    {
        if (!TryReadBlockRange(out cid, out var dataStart, out var dataLength))
        {
            data = default;
            return false;
        }

        data = _car.Slice(dataStart, dataLength);
        return true;
    }

    /// <summary>Reads the next block and returns where its data lie in the input; false at the end.</summary>
    internal bool TryReadBlockRange(out Cid cid, out int dataStart, out int dataLength)
    {
        var sectionOffset = _position;
        if (sectionOffset >= _car.Length)
        {
            cid = default;
            dataStart = dataLength = 0;
            return false;
        }

        if (!CarSections.TryReadLength(_car[sectionOffset..], sectionOffset, out var length, out var prefixLength))
        {
            throw new CarFormatException($"CAR ends inside a section ({_car.Length - sectionOffset} bytes left)", sectionOffset);
        }

        var sectionLength = CarSections.CheckSectionLength(length, sectionOffset, _options);
        CarSections.CountBlock(ref _blockCount, sectionOffset, _options);
        var sectionStart = sectionOffset + prefixLength;
        if (_car.Length - sectionStart < sectionLength)
        {
            throw new CarFormatException($"CAR ends inside a section ({_car.Length - sectionOffset} bytes left)", sectionOffset);
        }

        var section = _car.Slice(sectionStart, sectionLength);
        cid = CarSections.ReadCid(section, sectionStart);
        dataStart = sectionStart + Cid.EncodedLength;
        dataLength = sectionLength - Cid.EncodedLength;
        CarSections.Verify(cid, section[Cid.EncodedLength..], sectionOffset);
        _position = sectionStart + sectionLength;
        return true;
    }
}

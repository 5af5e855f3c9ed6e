using System.Diagnostics.CodeAnalysis;
using RecordKv.Atproto.Cbor;
using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Car;

/// <summary>The parts of CAR v1 parsing shared by the streaming and the in-memory readers.</summary>
internal static class CarSections
{
    /// <summary>Reads a section or header length prefix; false if the input ends inside it. Throws on a malformed varint.</summary>
    public static bool TryReadLength(ReadOnlySpan<byte> bytes, long offset, out ulong length, out int consumed)
    {
        switch (Varint.TryRead(bytes, out length, out consumed))
        {
            case VarintStatus.Done:
                return true;
            case VarintStatus.NeedMoreData:
                return false;
            case VarintStatus.NotMinimal:
                throw new CarFormatException("Length prefix is not a minimal varint", offset);
            default:
                throw new CarFormatException($"Length prefix is longer than {Varint.MaxLength} bytes", offset);
        }
    }

    /// <summary>Checks a header length against the cap before anything is allocated for it.</summary>
    public static int CheckHeaderLength(ulong length, long offset, CarReaderOptions options)
    {
        if (length == 0)
        {
            throw new CarFormatException("CAR header is empty", offset);
        }

        if (length > (ulong)options.MaxHeaderSize)
        {
            throw new CarFormatException($"CAR header of {length} bytes exceeds the cap of {options.MaxHeaderSize} bytes", offset);
        }

        return (int)length;
    }

    /// <summary>Checks a section length (CID plus block) against the block cap before anything is allocated for it.</summary>
    public static int CheckSectionLength(ulong length, long offset, CarReaderOptions options)
    {
        if (length == 0)
        {
            throw new CarFormatException("Empty CAR section", offset);
        }

        if (length > (ulong)options.MaxBlockSize + Cid.EncodedLength)
        {
            throw new CarFormatException($"CAR section of {length} bytes exceeds the block cap of {options.MaxBlockSize} bytes", offset);
        }

        return (int)length;
    }

    /// <summary>Counts a block against the cap.</summary>
    public static void CountBlock(ref long count, long offset, CarReaderOptions options)
    {
        if (++count > options.MaxBlockCount)
        {
            throw new CarFormatException($"CAR holds more than the cap of {options.MaxBlockCount} blocks", offset);
        }
    }

    /// <summary>Parses the header <c>{roots: [cid…], version: 1}</c>; adds the roots to <paramref name="roots"/> when given and returns how many there are.</summary>
    public static int ReadHeader(ReadOnlySpan<byte> header, long offset, List<Cid>? roots, out Cid firstRoot)
    {
        firstRoot = default;
        var rootCount = -1;
        long version = -1;
        try
        {
            var reader = new DagCborReader(header);
            if (reader.PeekType() != CborValueType.Map)
            {
                throw new CarFormatException("CAR header is not a map", offset);
            }

            var entries = reader.ReadMapHeader();
            for (var i = 0; i < entries; i++)
            {
                var key = reader.ReadTextUtf8();
                if (key.SequenceEqual("roots"u8))
                {
                    rootCount = reader.ReadArrayHeader();
                    for (var r = 0; r < rootCount; r++)
                    {
                        var root = reader.ReadCid();
                        if (r == 0)
                        {
                            firstRoot = root;
                        }

                        roots?.Add(root);
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
                throw new CarFormatException($"{header.Length - reader.BytesConsumed} bytes after the CAR header value", offset + reader.BytesConsumed);
            }
        }
        catch (CborFormatException error)
        {
            throw new CarFormatException($"Malformed CAR header: {error.Reason}", offset + Math.Max(0, error.Offset), error);
        }

        if (version != 1)
        {
            throw new CarFormatException(
                version == -1 ? "CAR header has no version" : $"CAR version {version} is not supported (only 1)",
                offset);
        }

        if (rootCount < 0)
        {
            throw new CarFormatException("CAR header has no roots", offset);
        }

        return rootCount;
    }

    /// <summary>Reads the CID at the start of a section; throws naming the problem (v0, other codecs, other hashes).</summary>
    public static Cid ReadCid(ReadOnlySpan<byte> section, long offset)
    {
        if (Cid.TryRead(section, out var cid, out _))
        {
            return cid;
        }

        ThrowBadCid(section, offset);
        return default;
    }

    /// <summary>Throws unless <paramref name="data"/> hashes to <paramref name="cid"/>.</summary>
    public static void Verify(Cid cid, ReadOnlySpan<byte> data, long offset)
    {
        if (!cid.Matches(data))
        {
            ThrowMismatch(cid, offset);
        }
    }

    [DoesNotReturn]
    private static void ThrowBadCid(ReadOnlySpan<byte> section, long offset)
    {
        try
        {
            Cid.ThrowBinaryFormat(section);
        }
        catch (CidFormatException error)
        {
            throw new CarFormatException($"Unsupported or malformed block CID: {error.Message}", offset, error);
        }
    }

    [DoesNotReturn]
    private static void ThrowMismatch(Cid cid, long offset) =>
        throw new CarFormatException($"Block does not hash to its CID {cid}", offset);
}

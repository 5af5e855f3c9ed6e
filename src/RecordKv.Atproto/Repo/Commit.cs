using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using RecordKv.Atproto.Cbor;
using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Repo;

/// <summary>A signed repository commit (format v3, or v2 without <c>rev</c>), decoded from its DAG-CBOR block.</summary>
public sealed partial class Commit
{
    /// <summary>The current repository format version.</summary>
    public const int CurrentVersion = 3;

    // Commit objects have six fields; the cap keeps the unsigned map header within two bytes and bounds hostile input.
    private const int MaxFields = 64;

    private readonly int _mapHeaderLength;
    private readonly int _fieldCount;
    private readonly int _signatureEntryStart;
    private readonly int _signatureEntryEnd;

    private Commit(
        ReadOnlyMemory<byte> block,
        string did,
        int version,
        Cid data,
        string? rev,
        Cid? prev,
        ReadOnlyMemory<byte> signature,
        int mapHeaderLength,
        int fieldCount,
        int signatureEntryStart,
        int signatureEntryEnd)
    {
        EncodedBytes = block;
        Did = did;
        Version = version;
        Data = data;
        Rev = rev;
        Prev = prev;
        Signature = signature;
        _mapHeaderLength = mapHeaderLength;
        _fieldCount = fieldCount;
        _signatureEntryStart = signatureEntryStart;
        _signatureEntryEnd = signatureEntryEnd;
    }

    /// <summary>The DID of the account that owns the repository.</summary>
    public string Did { get; }

    /// <summary>The repository format version: 3, or 2 for older repositories.</summary>
    public int Version { get; }

    /// <summary>The CID of the MST root node.</summary>
    public Cid Data { get; }

    /// <summary>The revision (TID), a logical clock; <c>null</c> only in v2 commits.</summary>
    public string? Rev { get; }

    /// <summary>The previous commit's CID; virtually always <c>null</c> in v3.</summary>
    public Cid? Prev { get; }

    /// <summary>The raw signature bytes (compact r‖s), a slice of <see cref="EncodedBytes"/>.</summary>
    public ReadOnlyMemory<byte> Signature { get; }

    /// <summary>The signed commit block exactly as decoded or encoded.</summary>
    public ReadOnlyMemory<byte> EncodedBytes { get; }

    /// <summary>The CID of the signed commit block.</summary>
    public Cid ComputeCid() => Cid.ForDagCbor(EncodedBytes.Span);

    /// <summary>The length of the unsigned commit encoding (every field except <c>sig</c>).</summary>
    public int UnsignedLength => UnsignedHeaderLength + (EncodedBytes.Length - _mapHeaderLength) - (_signatureEntryEnd - _signatureEntryStart);

    private int UnsignedHeaderLength => _fieldCount - 1 < 24 ? 1 : 2;

    /// <summary>Decodes a signed commit block.</summary>
    /// <exception cref="RepositoryFormatException">The block is not valid DAG-CBOR or not a valid commit object.</exception>
    public static Commit Decode(ReadOnlyMemory<byte> block)
    {
        try
        {
            return DecodeCore(block);
        }
        catch (CborFormatException exception)
        {
            throw new RepositoryFormatException($"Commit block is not valid DAG-CBOR: {exception.Message}", exception);
        }
        catch (CidFormatException exception)
        {
            throw new RepositoryFormatException($"Commit block holds an invalid CID: {exception.Message}", exception);
        }
    }

    /// <summary>Writes the DAG-CBOR encoding of the unsigned commit (the bytes the signature covers) into <paramref name="destination"/>.</summary>
    /// <returns>The number of bytes written, <see cref="UnsignedLength"/>.</returns>
    public int WriteUnsignedBytes(Span<byte> destination)
    {
        var length = UnsignedLength;
        if (destination.Length < length)
        {
            throw new ArgumentException($"Destination holds {destination.Length} bytes; the unsigned commit needs {length}.", nameof(destination));
        }

        // Removing one entry from a canonical map keeps the rest canonical, so the other entries are copied verbatim:
        // this also keeps fields this code does not know about, which the signature covers too.
        var unsignedCount = _fieldCount - 1;
        int written;
        if (unsignedCount < 24)
        {
            destination[0] = (byte)(0xA0 | unsignedCount);
            written = 1;
        }
        else
        {
            destination[0] = 0xB8;
            destination[1] = (byte)unsignedCount;
            written = 2;
        }

        var block = EncodedBytes.Span;
        var before = block[_mapHeaderLength.._signatureEntryStart];
        before.CopyTo(destination[written..]);
        written += before.Length;
        var after = block[_signatureEntryEnd..];
        after.CopyTo(destination[written..]);
        return written + after.Length;
    }

    /// <summary>The DAG-CBOR encoding of the unsigned commit (the bytes the signature covers).</summary>
    public byte[] GetUnsignedBytes()
    {
        var bytes = new byte[UnsignedLength];
        WriteUnsignedBytes(bytes);
        return bytes;
    }

    private static Commit DecodeCore(ReadOnlyMemory<byte> block)
    {
        var reader = new DagCborReader(block.Span);
        if (reader.PeekType() != CborValueType.Map)
        {
            ThrowFormat("Commit block is not a map.");
        }

        var fieldCount = reader.ReadMapHeader();
        if (fieldCount > MaxFields)
        {
            ThrowFormat($"Commit has {fieldCount} fields, more than the limit of {MaxFields}.");
        }

        var mapHeaderLength = reader.BytesConsumed;
        string? did = null, rev = null;
        long? version = null;
        Cid? data = null, prev = null;
        ReadOnlyMemory<byte>? signature = null;
        int signatureEntryStart = 0, signatureEntryEnd = 0;
        for (var i = 0; i < fieldCount; i++)
        {
            var entryStart = reader.BytesConsumed;
            var key = reader.ReadTextUtf8();
            if (key.SequenceEqual("did"u8))
            {
                did = reader.ReadText();
            }
            else if (key.SequenceEqual("rev"u8))
            {
                rev = reader.ReadText();
            }
            else if (key.SequenceEqual("sig"u8))
            {
                var sig = reader.ReadBytes();
                signatureEntryStart = entryStart;
                signatureEntryEnd = reader.BytesConsumed;
                signature = block.Slice(signatureEntryEnd - sig.Length, sig.Length);
            }
            else if (key.SequenceEqual("data"u8))
            {
                data = reader.ReadCid();
            }
            else if (key.SequenceEqual("prev"u8))
            {
                prev = reader.TryReadNull() ? null : reader.ReadCid();
            }
            else if (key.SequenceEqual("version"u8))
            {
                version = reader.ReadInt64();
            }
            else
            {
                // The spec lets commits gain optional fields; they are kept in the signed bytes and otherwise ignored.
                reader.SkipValue();
            }
        }

        if (!reader.IsAtEnd)
        {
            ThrowFormat($"Commit block has {block.Length - reader.BytesConsumed} bytes after the commit object.");
        }

        if (did is null) ThrowMissing("did");
        if (version is null) ThrowMissing("version");
        if (data is null) ThrowMissing("data");
        if (signature is null) ThrowMissing("sig");
        if (version is not (2 or 3))
        {
            ThrowFormat($"Commit has unsupported repository version {version}; only 2 and 3 are supported.");
        }

        if (version == CurrentVersion && rev is null)
        {
            ThrowMissing("rev");
        }

        if (did.Length == 0)
        {
            ThrowFormat("Commit has an empty 'did'.");
        }

        if (data.Value.Codec != CidCodec.DagCbor)
        {
            ThrowFormat($"Commit 'data' {data} is not a dag-cbor CID.");
        }

        if (prev is { } prevCid && prevCid.Codec != CidCodec.DagCbor)
        {
            ThrowFormat($"Commit 'prev' {prevCid} is not a dag-cbor CID.");
        }

        return new Commit(
            block,
            did,
            (int)version.Value,
            data.Value,
            rev,
            prev,
            signature.Value,
            mapHeaderLength,
            fieldCount,
            signatureEntryStart,
            signatureEntryEnd);
    }

    /// <summary>Encodes a commit's fields (all but <c>sig</c> when <paramref name="signature"/> is empty) in canonical key order.</summary>
    /// <returns>Where the <c>sig</c> entry starts and ends in <paramref name="output"/> (both 0 without it).</returns>
    internal static (int SignatureEntryStart, int SignatureEntryEnd) WriteFields(ArrayBufferWriter<byte> output, string did, Cid data, string rev, Cid? prev, ReadOnlySpan<byte> signature, bool includeSignature)
    {
        int signatureEntryStart = 0, signatureEntryEnd = 0;
        var writer = new DagCborWriter(output);
        writer.WriteMapHeader(includeSignature ? 6 : 5);
        writer.WriteText("did"u8);
        writer.WriteText(did);
        writer.WriteText("rev"u8);
        writer.WriteText(rev);
        if (includeSignature)
        {
            signatureEntryStart = output.WrittenCount;
            writer.WriteText("sig"u8);
            writer.WriteBytes(signature);
            signatureEntryEnd = output.WrittenCount;
        }

        writer.WriteText("data"u8);
        writer.WriteCid(data);
        writer.WriteText("prev"u8);
        if (prev is { } prevCid)
        {
            writer.WriteCid(prevCid);
        }
        else
        {
            writer.WriteNull();
        }

        writer.WriteText("version"u8);
        writer.WriteInt64(CurrentVersion);
        return (signatureEntryStart, signatureEntryEnd);
    }

    [DoesNotReturn]
    private static void ThrowFormat(string message) => throw new RepositoryFormatException(message);

    [DoesNotReturn]
    private static void ThrowMissing(string field) => throw new RepositoryFormatException($"Commit lacks the required field '{field}'.");
}

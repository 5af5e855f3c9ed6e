using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RecordKv.Atproto.Cids;

/// <summary>
/// A CIDv1 with a sha2-256 multihash and the dag-cbor or raw codec: the only CIDs atproto uses.
/// The 32-byte digest is stored inline, so a <see cref="Cid"/> never allocates and compares as four machine words.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct Cid : IEquatable<Cid>, ISpanFormattable
{
    /// <summary>The length of the binary form: version, codec, hash code, digest length and the 32-byte digest.</summary>
    public const int EncodedLength = 4 + DigestLength;

    /// <summary>The length of the text form: the multibase prefix 'b' and 58 base32 characters.</summary>
    public const int TextLength = 1 + 58;

    /// <summary>The length of a sha2-256 digest.</summary>
    public const int DigestLength = 32;

    private const byte Version1 = 0x01;
    private const byte Sha256Code = 0x12;
    private const byte Version0Prefix = Sha256Code;

    // The digest as four words, in memory order, so equality and hashing are word compares.
    private readonly ulong _digest0;
    private readonly ulong _digest1;
    private readonly ulong _digest2;
    private readonly ulong _digest3;
    private readonly byte _codec;

    private Cid(byte codec, ReadOnlySpan<byte> digest)
    {
        _codec = codec;
        _digest0 = MemoryMarshal.Read<ulong>(digest);
        _digest1 = MemoryMarshal.Read<ulong>(digest[8..]);
        _digest2 = MemoryMarshal.Read<ulong>(digest[16..]);
        _digest3 = MemoryMarshal.Read<ulong>(digest[24..]);
    }

    /// <summary>The multicodec of the content: <see cref="CidCodec.DagCbor"/> or <see cref="CidCodec.Raw"/> (0 for <c>default</c>).</summary>
    public ulong Codec => _codec;

    /// <summary>True for <c>default(Cid)</c>, which is not a valid CID.</summary>
    public bool IsDefault => _codec == 0;

    /// <summary>The sha2-256 digest of the content.</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> Digest =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<ulong, byte>(ref Unsafe.AsRef(in _digest0)), DigestLength);

    /// <summary>Copies the sha2-256 digest into <paramref name="destination"/> (at least 32 bytes).</summary>
    public void CopyDigestTo(Span<byte> destination) => Digest.CopyTo(destination);

    /// <summary>Parses the base32 text form (<c>b</c> prefix); throws <see cref="CidFormatException"/> if it is not a CIDv1 sha2-256 dag-cbor/raw CID.</summary>
    public static Cid Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Parse(text.AsSpan());
    }

    /// <summary>Parses the base32 text form (<c>b</c> prefix); throws <see cref="CidFormatException"/> if it is not a CIDv1 sha2-256 dag-cbor/raw CID.</summary>
    public static Cid Parse(ReadOnlySpan<char> text)
    {
        if (!TryParse(text, out var cid))
        {
            ThrowCidFormat(text);
        }

        return cid;
    }

    /// <summary>Parses the base32 text form (<c>b</c> prefix); false if it is not a CIDv1 sha2-256 dag-cbor/raw CID.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Cid cid)
    {
        cid = default;
        if (text.Length != TextLength || text[0] != 'b')
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[EncodedLength];
        return Base32Lower.TryDecode(text[1..], bytes, out var written)
            && written == EncodedLength
            && TryRead(bytes, out cid, out _);
    }

    /// <summary>Reads the binary form (no multibase prefix) at the start of <paramref name="bytes"/>; throws <see cref="CidFormatException"/> if malformed.</summary>
    public static Cid Read(ReadOnlySpan<byte> bytes, out int bytesConsumed)
    {
        if (!TryRead(bytes, out var cid, out bytesConsumed))
        {
            ThrowBinaryFormat(bytes);
        }

        return cid;
    }

    /// <summary>Reads the binary form (no multibase prefix) at the start of <paramref name="bytes"/>; false if it is not a CIDv1 sha2-256 dag-cbor/raw CID.</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes, out Cid cid, out int bytesConsumed)
    {
        // Both allowed codecs are below 0x80, so every field is one varint byte and the layout is fixed.
        if (bytes.Length < EncodedLength
            || bytes[0] != Version1
            || (bytes[1] != CidCodec.DagCbor && bytes[1] != CidCodec.Raw)
            || bytes[2] != Sha256Code
            || bytes[3] != DigestLength)
        {
            cid = default;
            bytesConsumed = 0;
            return false;
        }

        cid = new Cid(bytes[1], bytes.Slice(4, DigestLength));
        bytesConsumed = EncodedLength;
        return true;
    }

    /// <summary>Writes the 36-byte binary form into <paramref name="destination"/> and returns the number of bytes written.</summary>
    public int WriteTo(Span<byte> destination)
    {
        ThrowIfDefault();
        if (destination.Length < EncodedLength)
        {
            ThrowDestinationTooSmall();
        }

        destination[0] = Version1;
        destination[1] = _codec;
        destination[2] = Sha256Code;
        destination[3] = DigestLength;
        Digest.CopyTo(destination[4..]);
        return EncodedLength;
    }

    /// <summary>The 36-byte binary form in a new array.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[EncodedLength];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Hashes <paramref name="content"/> with sha2-256 and returns its CID with <paramref name="codec"/>.</summary>
    public static Cid Compute(ulong codec, ReadOnlySpan<byte> content)
    {
        if (codec is not (CidCodec.DagCbor or CidCodec.Raw))
        {
            throw new ArgumentOutOfRangeException(nameof(codec), codec, "Only the dag-cbor (0x71) and raw (0x55) codecs are supported.");
        }

        Span<byte> digest = stackalloc byte[DigestLength];
        Sha256.Hash(content, digest);
        return new Cid((byte)codec, digest);
    }

    /// <summary>The CID of a DAG-CBOR block.</summary>
    public static Cid ForDagCbor(ReadOnlySpan<byte> block) => Compute(CidCodec.DagCbor, block);

    /// <summary>The CID of raw content (a blob).</summary>
    public static Cid ForRaw(ReadOnlySpan<byte> content) => Compute(CidCodec.Raw, content);

    /// <summary>True if <paramref name="content"/> hashes to this CID's digest.</summary>
    public bool Matches(ReadOnlySpan<byte> content)
    {
        Span<byte> digest = stackalloc byte[DigestLength];
        Sha256.Hash(content, digest);
        return !IsDefault && digest.SequenceEqual(Digest);
    }

    /// <summary>The base32 text form with the multibase prefix 'b'.</summary>
    public override string ToString()
    {
        if (IsDefault)
        {
            return string.Empty;
        }

        return string.Create(TextLength, this, static (chars, cid) => cid.FormatInto(chars));
    }

    /// <inheritdoc />
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <summary>Writes the text form into <paramref name="destination"/>; false if it holds fewer than <see cref="TextLength"/> characters.</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider? provider = null)
    {
        if (destination.Length < TextLength || IsDefault)
        {
            charsWritten = 0;
            return false;
        }

        FormatInto(destination);
        charsWritten = TextLength;
        return true;
    }

    /// <inheritdoc />
    public bool Equals(Cid other) =>
        _digest0 == other._digest0
        && _digest1 == other._digest1
        && _digest2 == other._digest2
        && _digest3 == other._digest3
        && _codec == other._codec;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Cid other && Equals(other);

    /// <inheritdoc />
    // The digest is a cryptographic hash, so any of its words is already uniformly distributed.
    public override int GetHashCode() => (int)_digest0 ^ _codec;

    /// <summary>True if both CIDs have the same codec and digest.</summary>
    public static bool operator ==(Cid left, Cid right) => left.Equals(right);

    /// <summary>True if the CIDs differ in codec or digest.</summary>
    public static bool operator !=(Cid left, Cid right) => !left.Equals(right);

    private void FormatInto(Span<char> chars)
    {
        Span<byte> bytes = stackalloc byte[EncodedLength];
        WriteTo(bytes);
        chars[0] = 'b';
        Base32Lower.Encode(bytes, chars[1..]);
    }

    private void ThrowIfDefault()
    {
        if (IsDefault)
        {
            throw new InvalidOperationException("default(Cid) is not a CID.");
        }
    }

    [DoesNotReturn]
    private static void ThrowDestinationTooSmall() =>
        throw new ArgumentException($"The destination must hold at least {EncodedLength} bytes.", "destination");

    [DoesNotReturn]
    private static void ThrowCidFormat(ReadOnlySpan<char> text)
    {
        var shown = text.Length > 80 ? string.Concat(text[..80], "…") : text.ToString();
        var reason = text.Length > 1 && text[0] == 'Q' && text[1] == 'm'
            ? "CIDv0 is not supported"
            : text.Length == 0 || text[0] != 'b'
                ? "expected the multibase prefix 'b' (base32 lower case)"
                : "expected a CIDv1 with a sha2-256 hash and the dag-cbor or raw codec";
        throw new CidFormatException($"Invalid CID \"{shown}\": {reason}.");
    }

    [DoesNotReturn]
    internal static void ThrowBinaryFormat(ReadOnlySpan<byte> bytes)
    {
        string reason;
        if (bytes.Length == 0)
        {
            reason = "no bytes";
        }
        else if (bytes[0] == Version0Prefix)
        {
            reason = "CIDv0 is not supported";
        }
        else if (bytes[0] != Version1)
        {
            reason = $"unsupported CID version byte 0x{bytes[0]:x2}";
        }
        else if (bytes.Length < 2)
        {
            reason = "truncated after the version";
        }
        else if (bytes[1] != CidCodec.DagCbor && bytes[1] != CidCodec.Raw)
        {
            reason = $"unsupported codec 0x{bytes[1]:x2} (only dag-cbor 0x71 and raw 0x55)";
        }
        else if (bytes.Length < 4)
        {
            reason = "truncated multihash";
        }
        else if (bytes[2] != Sha256Code || bytes[3] != DigestLength)
        {
            reason = $"unsupported multihash 0x{bytes[2]:x2} of length {bytes[3]} (only sha2-256, 32 bytes)";
        }
        else
        {
            reason = $"truncated digest: {bytes.Length - 4} of {DigestLength} bytes";
        }

        throw new CidFormatException($"Invalid binary CID: {reason}.");
    }
}

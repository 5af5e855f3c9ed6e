using System.Diagnostics.CodeAnalysis;
using System.Text;
using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Cbor;

/// <summary>Throw helpers for <see cref="DagCborReader"/>, kept out of line so the hot paths stay small.</summary>
internal static class CborThrow
{
    [DoesNotReturn]
    public static void Truncated(int offset, string expected) =>
        throw new CborFormatException($"Input ends where {expected} was expected", offset);

    [DoesNotReturn]
    public static void WrongType(int offset, string expected, byte initial) =>
        throw new CborFormatException($"Expected {expected} but found {DescribeInitial(initial)}", offset);

    [DoesNotReturn]
    public static void KeyNotText(int offset, byte initial) =>
        throw new CborFormatException($"Map key must be a text string, found {DescribeInitial(initial)}", offset);

    [DoesNotReturn]
    public static void KeyOrder(int offset, bool duplicate, ReadOnlySpan<byte> key) =>
        throw new CborFormatException(
            duplicate
                ? $"Duplicate map key \"{Shorten(key)}\""
                : $"Map key \"{Shorten(key)}\" is out of canonical order (shorter keys first, then bytewise)",
            offset);

    [DoesNotReturn]
    public static void InvalidUtf8(int offset) =>
        throw new CborFormatException("Text string is not valid UTF-8", offset);

    [DoesNotReturn]
    public static void NonMinimal(int offset, ulong value) =>
        throw new CborFormatException($"Non-minimal encoding of the integer or length {value}", offset);

    [DoesNotReturn]
    public static T Indefinite<T>(int offset, byte initial) =>
        throw new CborFormatException(
            initial >> 5 is 2 or 3 or 4 or 5
                ? $"Indefinite-length {DescribeMajor((byte)(initial >> 5))} is not allowed in DAG-CBOR"
                : $"Malformed head byte 0x{initial:x2} (additional information 31)",
            offset);

    [DoesNotReturn]
    public static T Reserved<T>(int offset, byte initial) =>
        throw new CborFormatException($"Reserved additional information in head byte 0x{initial:x2}", offset);

    [DoesNotReturn]
    public static void IntegerOutOfRange(int offset) =>
        throw new CborFormatException("Integer does not fit a signed 64-bit value", offset);

    [DoesNotReturn]
    public static void LengthBeyondInput(int offset, ulong length, ulong remaining) =>
        throw new CborFormatException($"Length {length} exceeds the {remaining} bytes left in the input", offset);

    [DoesNotReturn]
    public static void ContainerTooLong(int offset, ulong length, int max) =>
        throw new CborFormatException($"Container of {length} items exceeds the limit of {max}", offset);

    [DoesNotReturn]
    public static void TooDeep(int offset, int maxDepth) =>
        throw new CborFormatException($"Nesting exceeds the limit of {maxDepth} arrays and maps", offset);

    [DoesNotReturn]
    public static void BadTag(int offset, ulong tag) =>
        throw new CborFormatException($"Tag {tag} is not allowed; DAG-CBOR allows only tag 42 (CID)", offset);

    [DoesNotReturn]
    public static void CidWithoutPrefix(int offset) =>
        throw new CborFormatException("CID link bytes must start with the 0x00 multibase prefix", offset);

    [DoesNotReturn]
    public static void BadCid(int offset, ReadOnlySpan<byte> cidBytes)
    {
        if (Cid.TryRead(cidBytes, out _, out var consumed))
        {
            throw new CborFormatException($"CID link has {cidBytes.Length - consumed} bytes after the CID", offset);
        }

        try
        {
            Cid.ThrowBinaryFormat(cidBytes);
        }
        catch (CidFormatException error)
        {
            throw new CborFormatException(error.Message, offset);
        }
    }

    [DoesNotReturn]
    public static T BadSimple<T>(int offset, byte initial) =>
        throw new CborFormatException($"{DescribeInitial(initial)} is not allowed in DAG-CBOR", offset);

    [DoesNotReturn]
    public static void TrailingBytes(int offset, int count) =>
        throw new CborFormatException($"{count} trailing bytes after the value", offset);

    public static string DescribeMajor(byte major) => major switch
    {
        0 => "an unsigned integer",
        1 => "a negative integer",
        2 => "a byte string",
        3 => "a text string",
        4 => "an array",
        5 => "a map",
        6 => "a CID link (tag 42)",
        _ => "a simple value",
    };

    public static string DescribeInitial(byte initial) => initial switch
    {
        0xf4 or 0xf5 => "a boolean",
        0xf6 => "null",
        0xf7 => "undefined",
        0xf9 or 0xfa or 0xfb => "a floating-point number",
        0xff => "a break (indefinite-length terminator)",
        >= 0xe0 and <= 0xf8 => $"the simple value 0x{initial:x2}",
        >= 0xfc => $"the reserved head byte 0x{initial:x2}",
        _ => DescribeMajor((byte)(initial >> 5)),
    };

    private static string Shorten(ReadOnlySpan<byte> key)
    {
        var text = Encoding.UTF8.GetString(key);
        return text.Length > 64 ? string.Concat(text.AsSpan(0, 64), "…") : text;
    }
}

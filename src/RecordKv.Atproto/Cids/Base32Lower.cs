using System.Runtime.CompilerServices;

namespace RecordKv.Atproto.Cids;

/// <summary>RFC 4648 base32, lower-case alphabet, no padding: the multibase 'b' encoding of CIDs.</summary>
/// <remarks>Written here rather than taken from a library so that parsing and formatting work on spans without allocating.</remarks>
internal static class Base32Lower
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>The number of characters that encode <paramref name="byteCount"/> bytes without padding.</summary>
    public static int GetEncodedLength(int byteCount) => ((byteCount * 8) + 4) / 5;

    /// <summary>The number of bytes <paramref name="charCount"/> unpadded characters decode to.</summary>
    public static int GetDecodedLength(int charCount) => charCount * 5 / 8;

    /// <summary>Encodes <paramref name="bytes"/> into <paramref name="destination"/>, which must hold <see cref="GetEncodedLength"/> characters.</summary>
    public static void Encode(ReadOnlySpan<byte> bytes, Span<char> destination)
    {
        var buffer = 0;
        var bits = 0;
        var written = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                destination[written++] = Alphabet[(buffer >> bits) & 31];
            }
        }

        if (bits > 0)
        {
            destination[written] = Alphabet[(buffer << (5 - bits)) & 31];
        }
    }

    /// <summary>Decodes lower-case unpadded base32; false on a character outside the alphabet, an impossible length or non-zero leftover bits.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        var remainder = text.Length % 8;
        if (remainder is 1 or 3 or 6 || destination.Length < GetDecodedLength(text.Length))
        {
            return false;
        }

        var buffer = 0;
        var bits = 0;
        foreach (var c in text)
        {
            var value = DecodeChar(c);
            if (value < 0)
            {
                return false;
            }

            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                destination[bytesWritten++] = (byte)(buffer >> bits);
            }
        }

        // Canonical encodings leave the unused low bits zero; anything else is a second spelling of the same bytes.
        return (buffer & ((1 << bits) - 1)) == 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int DecodeChar(char c) => c switch
    {
        >= 'a' and <= 'z' => c - 'a',
        >= '2' and <= '7' => c - '2' + 26,
        _ => -1,
    };
}

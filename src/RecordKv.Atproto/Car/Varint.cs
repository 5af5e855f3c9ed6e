namespace RecordKv.Atproto.Car;

/// <summary>The multiformats unsigned varint (LEB128) that prefixes CAR headers and sections.</summary>
internal static class Varint
{
    /// <summary>The longest varint the multiformats spec allows (63 bits of value).</summary>
    public const int MaxLength = 9;

    /// <summary>Reads a minimal varint; <see cref="VarintStatus.NeedMoreData"/> if <paramref name="bytes"/> ends inside it.</summary>
    public static VarintStatus TryRead(ReadOnlySpan<byte> bytes, out ulong value, out int consumed)
    {
        value = 0;
        consumed = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (i == MaxLength)
            {
                return VarintStatus.TooLong;
            }

            var b = bytes[i];
            value |= (ulong)(b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0)
            {
                // A final zero byte after the first adds nothing: a second, non-minimal spelling of a shorter varint.
                if (b == 0 && i > 0)
                {
                    return VarintStatus.NotMinimal;
                }

                consumed = i + 1;
                return VarintStatus.Done;
            }
        }

        return bytes.Length >= MaxLength ? VarintStatus.TooLong : VarintStatus.NeedMoreData;
    }

    /// <summary>Writes <paramref name="value"/> minimally and returns the number of bytes written.</summary>
    public static int Write(ulong value, Span<byte> destination)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>The number of bytes <see cref="Write"/> uses for <paramref name="value"/>.</summary>
    public static int GetLength(ulong value)
    {
        var length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }

        return length;
    }
}

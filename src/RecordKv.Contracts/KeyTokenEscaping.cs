using System.Text;

namespace RecordKv.Contracts;

/// <summary>
/// Escapes a DID or record key into one NATS subject token, reversibly: every UTF-8 byte outside
/// <c>[A-Za-z0-9_=-]</c> becomes <c>/</c> followed by two upper-case hex digits (<c>:</c> → <c>/3A</c>).
/// </summary>
public static class KeyTokenEscaping
{
    private const string HexDigits = "0123456789ABCDEF";

    /// <summary>Whether a byte stands for itself in an escaped token.</summary>
    public static bool IsPlain(byte value) =>
        value is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9')
            or (byte)'_' or (byte)'=' or (byte)'-';

    /// <summary>Escapes <paramref name="value"/> into one subject token.</summary>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            throw new ArgumentException("An empty value cannot be a key token.", nameof(value));
        }

        var utf8 = Encoding.UTF8.GetBytes(value);
        var escapedLength = 0;
        foreach (var b in utf8)
        {
            escapedLength += IsPlain(b) ? 1 : 3;
        }

        if (escapedLength == utf8.Length)
        {
            return value;
        }

        return string.Create(escapedLength, utf8, static (destination, source) =>
        {
            var i = 0;
            foreach (var b in source)
            {
                if (IsPlain(b))
                {
                    destination[i++] = (char)b;
                }
                else
                {
                    destination[i++] = '/';
                    destination[i++] = HexDigits[b >> 4];
                    destination[i++] = HexDigits[b & 0xF];
                }
            }
        });
    }

    /// <summary>Reverses <see cref="Escape"/>; rejects anything <see cref="Escape"/> cannot have produced.</summary>
    public static string Unescape(ReadOnlySpan<char> token)
    {
        if (!TryUnescape(token, out var value, out var error))
        {
            throw new KeyFormatException($"'{token}' is not an escaped key token: {error}.");
        }

        return value;
    }

    /// <summary>Reverses <see cref="Escape"/>, or says why <paramref name="token"/> is not an escaped token.</summary>
    public static bool TryUnescape(ReadOnlySpan<char> token, out string value, out string? error)
    {
        value = string.Empty;
        if (token.IsEmpty)
        {
            error = "it is empty";
            return false;
        }

        var bytes = token.Length <= 512 ? stackalloc byte[token.Length] : new byte[token.Length];
        var count = 0;
        for (var i = 0; i < token.Length; i++)
        {
            var c = token[i];
            if (c == '/')
            {
                if (i + 2 >= token.Length || !TryHex(token[i + 1], out var high) || !TryHex(token[i + 2], out var low))
                {
                    error = $"'/' at {i} is not followed by two upper-case hex digits";
                    return false;
                }

                var b = (byte)((high << 4) | low);
                if (IsPlain(b))
                {
                    error = $"'/{token[i + 1]}{token[i + 2]}' at {i} escapes a character that stands for itself";
                    return false;
                }

                bytes[count++] = b;
                i += 2;
            }
            else if (c < 0x80 && IsPlain((byte)c))
            {
                bytes[count++] = (byte)c;
            }
            else
            {
                error = $"'{c}' at {i} should have been escaped";
                return false;
            }
        }

        try
        {
            value = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes[..count]);
        }
        catch (DecoderFallbackException)
        {
            error = "the escaped bytes are not UTF-8";
            return false;
        }

        error = null;
        return true;
    }

    private static bool TryHex(char c, out int value)
    {
        value = c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'A' and <= 'F' => c - 'A' + 10,
            _ => -1,
        };
        return value >= 0;
    }
}

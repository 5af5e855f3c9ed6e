using System.Numerics;
using System.Text;
using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Mst;

/// <summary>MST key rules: the layer ("height") a key lives on and which keys are allowed.</summary>
public static class MstKey
{
    /// <summary>The longest key allowed, in bytes (keys are ASCII).</summary>
    public const int MaxLength = 1024;

    /// <summary>The highest layer a key can have: SHA-256 has 256 bits and each layer counts two of them.</summary>
    public const int MaxHeight = 128;

    /// <summary>The layer of a key: the number of leading zero bits of SHA-256 of its bytes, divided by two (fanout 4).</summary>
    public static int Height(ReadOnlySpan<byte> key)
    {
        Span<byte> hash = stackalloc byte[32];
        Sha256.Hash(key, hash);
        var zeroBits = 0;
        foreach (var b in hash)
        {
            if (b != 0)
            {
                zeroBits += BitOperations.LeadingZeroCount((uint)b) - 24;
                break;
            }

            zeroBits += 8;
        }

        return zeroBits / 2;
    }

    /// <summary>The layer of a key given as text (hashed as UTF-8; MST keys are ASCII).</summary>
    public static int Height(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var length = Encoding.UTF8.GetByteCount(key);
        if (length <= 512)
        {
            Span<byte> bytes = stackalloc byte[length];
            Encoding.UTF8.GetBytes(key, bytes);
            return Height(bytes);
        }

        return Height(Encoding.UTF8.GetBytes(key));
    }

    /// <summary>How many leading characters two keys share.</summary>
    public static int CommonPrefixLength(ReadOnlySpan<char> left, ReadOnlySpan<char> right) => left.CommonPrefixLength(right);

    /// <summary>Whether <paramref name="key"/> is a valid MST key: <c>collection/rkey</c>, both parts non-empty, at most
    /// <see cref="MaxLength"/> characters of <c>A-Z a-z 0-9 _ ~ - : .</c> apart from the single <c>/</c>.</summary>
    public static bool IsValid(ReadOnlySpan<char> key) => IsValidCore(key);

    /// <summary>Whether the ASCII bytes <paramref name="key"/> are a valid MST key (see <see cref="IsValid(ReadOnlySpan{char})"/>).</summary>
    public static bool IsValid(ReadOnlySpan<byte> key) => IsValidCore(key);

    /// <summary>Throws <see cref="MstKeyException"/> when <paramref name="key"/> is not a valid MST key.</summary>
    public static void Validate(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!IsValid(key))
        {
            throw new MstKeyException(key, "not a valid MST key (collection/rkey, at most 1024 characters of A-Z a-z 0-9 _ ~ - : .)");
        }
    }

    private static bool IsValidCore<T>(ReadOnlySpan<T> key)
        where T : IBinaryInteger<T>
    {
        if (key.Length == 0 || key.Length > MaxLength)
        {
            return false;
        }

        var slash = -1;
        for (var i = 0; i < key.Length; i++)
        {
            var c = int.CreateTruncating(key[i]);
            if (c == '/')
            {
                if (slash >= 0)
                {
                    return false;
                }

                slash = i;
            }
            else if (!IsAllowedChar(c))
            {
                return false;
            }
        }

        return slash > 0 && slash < key.Length - 1;
    }

    private static bool IsAllowedChar(int c) =>
        (uint)(c - 'a') <= 'z' - 'a'
        || (uint)(c - 'A') <= 'Z' - 'A'
        || (uint)(c - '0') <= '9' - '0'
        || c is '_' or '~' or '-' or ':' or '.';
}

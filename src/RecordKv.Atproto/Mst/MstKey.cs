using System.Buffers;
using System.Numerics;
using System.Text;
using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Mst;

/// <summary>MST key rules: the layer ("height") a key lives on and which keys are allowed.</summary>
public static class MstKey
{
    private const string AllowedChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_~-:.";
    private static readonly SearchValues<char> KeyChars = SearchValues.Create(AllowedChars);
    private static readonly SearchValues<byte> KeyBytes = SearchValues.Create(Encoding.ASCII.GetBytes(AllowedChars));

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
    public static bool IsValid(ReadOnlySpan<char> key)
    {
        var slash = key.IndexOf('/');
        return key.Length <= MaxLength
            && slash > 0
            && slash < key.Length - 1
            && key[..slash].IndexOfAnyExcept(KeyChars) < 0
            && key[(slash + 1)..].IndexOfAnyExcept(KeyChars) < 0;
    }

    /// <summary>Whether the ASCII bytes <paramref name="key"/> are a valid MST key (see <see cref="IsValid(ReadOnlySpan{char})"/>).</summary>
    public static bool IsValid(ReadOnlySpan<byte> key)
    {
        // Vectorized scans: every node read checks each of its keys.
        var slash = key.IndexOf((byte)'/');
        return key.Length <= MaxLength
            && slash > 0
            && slash < key.Length - 1
            && key[..slash].IndexOfAnyExcept(KeyBytes) < 0
            && key[(slash + 1)..].IndexOfAnyExcept(KeyBytes) < 0;
    }

    /// <summary>Throws <see cref="MstKeyException"/> when <paramref name="key"/> is not a valid MST key.</summary>
    public static void Validate(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!IsValid(key))
        {
            throw new MstKeyException(key, "not a valid MST key (collection/rkey, at most 1024 characters of A-Z a-z 0-9 _ ~ - : .)");
        }
    }
}

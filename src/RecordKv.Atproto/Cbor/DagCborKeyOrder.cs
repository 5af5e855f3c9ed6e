using System.Text;

namespace RecordKv.Atproto.Cbor;

/// <summary>DAG-CBOR's canonical map key order: shorter UTF-8 keys first, then bytewise.</summary>
public static class DagCborKeyOrder
{
    /// <summary>A comparer of UTF-8 keys in canonical order, for sorting before writing a map.</summary>
    public static IComparer<byte[]> Utf8Comparer { get; } = Comparer<byte[]>.Create((a, b) => Compare(a, b));

    /// <summary>A comparer of string keys by their UTF-8 encoding in canonical order.</summary>
    public static IComparer<string> StringComparer { get; } = Comparer<string>.Create(Compare);

    /// <summary>Negative if UTF-8 key <paramref name="left"/> sorts before <paramref name="right"/>, zero if equal, positive after.</summary>
    public static int Compare(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right) =>
        left.Length != right.Length ? left.Length.CompareTo(right.Length) : left.SequenceCompareTo(right);

    /// <summary>Compares two string keys by their UTF-8 encoding in canonical order.</summary>
    public static int Compare(string? left, string? right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        var leftLength = Encoding.UTF8.GetByteCount(left);
        var rightLength = Encoding.UTF8.GetByteCount(right);
        if (leftLength != rightLength)
        {
            return leftLength.CompareTo(rightLength);
        }

        // Same UTF-8 length: UTF-8 byte order equals code point order, which ordinal UTF-16 order breaks only around surrogates.
        return Compare(Encoding.UTF8.GetBytes(left), Encoding.UTF8.GetBytes(right));
    }
}

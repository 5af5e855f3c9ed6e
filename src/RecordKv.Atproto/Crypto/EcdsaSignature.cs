namespace RecordKv.Atproto.Crypto;

/// <summary>
/// Facts about atproto's signature encoding: 64 bytes, r then s, each a 32-byte big-endian scalar
/// ("compact" / IEEE P1363), with s at most n/2 ("low-S") so that every message has one signature.
/// </summary>
public static class EcdsaSignature
{
    /// <summary>The length of every atproto signature.</summary>
    public const int Length = 64;

    /// <summary>Whether a 64-byte signature's s is in [1, n/2]; false for any other length.</summary>
    public static bool IsLowS(KeyAlgorithm algorithm, ReadOnlySpan<byte> signature) =>
        signature.Length == Length && IsLowSUnchecked(algorithm, signature[32..]);

    /// <summary>
    /// The high-S twin (r, n - s) of a valid low-S signature: mathematically valid, rejected by atproto.
    /// Exists for fault-injection tests.
    /// </summary>
    public static byte[] ToHighS(KeyAlgorithm algorithm, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != Length)
        {
            throw new ArgumentException($"A signature is {Length} bytes, not {signature.Length}.", nameof(signature));
        }

        if (!IsLowS(algorithm, signature))
        {
            throw new ArgumentException("The signature's S is not in [1, n/2]: it is not a low-S signature.", nameof(signature));
        }

        var highS = new byte[Length];
        signature[..32].CopyTo(highS);
        CurveOrder.SubtractFromOrder(algorithm, signature[32..], highS.AsSpan(32));
        return highS;
    }

    /// <summary>Low-S check on the 32-byte s alone, without length checks (callers checked them).</summary>
    internal static bool IsLowSUnchecked(KeyAlgorithm algorithm, ReadOnlySpan<byte> s) =>
        s.IndexOfAnyExcept((byte)0) >= 0 && s.SequenceCompareTo(CurveOrder.HalfOf(algorithm)) <= 0;

    /// <summary>Rewrites s in place to n - s when it is above n/2, so a fresh signature is low-S.</summary>
    internal static void NormalizeInPlace(KeyAlgorithm algorithm, Span<byte> signature)
    {
        var s = signature[32..];
        if (s.SequenceCompareTo(CurveOrder.HalfOf(algorithm)) > 0)
        {
            Span<byte> lowS = stackalloc byte[32];
            CurveOrder.SubtractFromOrder(algorithm, s, lowS);
            lowS.CopyTo(s);
        }
    }
}

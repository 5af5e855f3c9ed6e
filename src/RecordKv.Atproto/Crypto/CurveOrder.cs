namespace RecordKv.Atproto.Crypto;

/// <summary>The group orders n of both curves and n/2 (rounded down), as 32-byte big-endian scalars.</summary>
internal static class CurveOrder
{
    /// <summary>n of secp256k1.</summary>
    public static ReadOnlySpan<byte> K256 =>
    [
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE,
        0xBA, 0xAE, 0xDC, 0xE6, 0xAF, 0x48, 0xA0, 0x3B, 0xBF, 0xD2, 0x5E, 0x8C, 0xD0, 0x36, 0x41, 0x41,
    ];

    /// <summary>floor(n/2) of secp256k1: the largest S atproto accepts.</summary>
    public static ReadOnlySpan<byte> K256Half =>
    [
        0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0x5D, 0x57, 0x6E, 0x73, 0x57, 0xA4, 0x50, 0x1D, 0xDF, 0xE9, 0x2F, 0x46, 0x68, 0x1B, 0x20, 0xA0,
    ];

    /// <summary>n of P-256.</summary>
    public static ReadOnlySpan<byte> P256 =>
    [
        0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51,
    ];

    /// <summary>floor(n/2) of P-256: the largest S atproto accepts.</summary>
    public static ReadOnlySpan<byte> P256Half =>
    [
        0x7F, 0xFF, 0xFF, 0xFF, 0x80, 0x00, 0x00, 0x00, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xDE, 0x73, 0x7D, 0x56, 0xD3, 0x8B, 0xCF, 0x42, 0x79, 0xDC, 0xE5, 0x61, 0x7E, 0x31, 0x92, 0xA8,
    ];

    /// <summary>n of the given curve.</summary>
    public static ReadOnlySpan<byte> Of(KeyAlgorithm algorithm) => algorithm == KeyAlgorithm.K256 ? K256 : P256;

    /// <summary>floor(n/2) of the given curve.</summary>
    public static ReadOnlySpan<byte> HalfOf(KeyAlgorithm algorithm) => algorithm == KeyAlgorithm.K256 ? K256Half : P256Half;

    /// <summary>Whether a 32-byte scalar is in [1, n-1]: a valid private key or signature component.</summary>
    public static bool IsValidScalar(KeyAlgorithm algorithm, ReadOnlySpan<byte> scalar) =>
        scalar.Length == 32 && scalar.IndexOfAnyExcept((byte)0) >= 0 && scalar.SequenceCompareTo(Of(algorithm)) < 0;

    /// <summary>Writes n - scalar (big-endian) to <paramref name="destination"/>; the scalar must be below n.</summary>
    public static void SubtractFromOrder(KeyAlgorithm algorithm, ReadOnlySpan<byte> scalar, Span<byte> destination)
    {
        var order = Of(algorithm);
        var borrow = 0;
        for (var i = 31; i >= 0; i--)
        {
            var difference = order[i] - scalar[i] - borrow;
            borrow = difference < 0 ? 1 : 0;
            destination[i] = (byte)(difference + (borrow << 8));
        }
    }
}

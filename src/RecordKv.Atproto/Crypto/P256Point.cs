using System.Numerics;

namespace RecordKv.Atproto.Crypto;

/// <summary>
/// P-256 point arithmetic the BCL does not offer: decompressing a SEC1 compressed point (BCL
/// <c>ECParameters</c> needs both coordinates) and checking that a point is on the curve.
/// Runs once per key, so <see cref="BigInteger"/> is fast enough.
/// </summary>
internal static class P256Point
{
    // p = 2^256 - 2^224 + 2^192 + 2^96 - 1; p ≡ 3 (mod 4), so a square root is a^((p+1)/4).
    private static readonly BigInteger Prime = BigInteger.Parse(
        "0FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF",
        System.Globalization.NumberStyles.HexNumber,
        System.Globalization.CultureInfo.InvariantCulture);

    private static readonly BigInteger B = BigInteger.Parse(
        "05AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B",
        System.Globalization.NumberStyles.HexNumber,
        System.Globalization.CultureInfo.InvariantCulture);

    private static readonly BigInteger SquareRootExponent = (Prime + 1) / 4;

    /// <summary>Computes y from a 33-byte compressed point; false when x is out of range or not on the curve.</summary>
    public static bool TryDecompress(ReadOnlySpan<byte> compressed, Span<byte> x, Span<byte> y)
    {
        if (compressed.Length != 33 || (compressed[0] != 0x02 && compressed[0] != 0x03))
        {
            return false;
        }

        var xValue = new BigInteger(compressed[1..], isUnsigned: true, isBigEndian: true);
        if (xValue >= Prime)
        {
            return false;
        }

        var rightHandSide = RightHandSide(xValue);
        var yValue = BigInteger.ModPow(rightHandSide, SquareRootExponent, Prime);
        if (BigInteger.ModPow(yValue, 2, Prime) != rightHandSide)
        {
            return false;
        }

        var wantOdd = compressed[0] == 0x03;
        if (!yValue.IsEven != wantOdd)
        {
            yValue = Prime - yValue;
        }

        compressed[1..].CopyTo(x);
        WriteScalar(yValue, y);
        return true;
    }

    /// <summary>Whether (x, y), each 32 bytes big-endian, is a point of the curve.</summary>
    public static bool IsOnCurve(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        var xValue = new BigInteger(x, isUnsigned: true, isBigEndian: true);
        var yValue = new BigInteger(y, isUnsigned: true, isBigEndian: true);
        return xValue < Prime && yValue < Prime && BigInteger.ModPow(yValue, 2, Prime) == RightHandSide(xValue);
    }

    private static BigInteger RightHandSide(BigInteger x)
    {
        // y^2 = x^3 - 3x + b
        var value = (BigInteger.ModPow(x, 3, Prime) - (3 * x) + B) % Prime;
        return value.Sign < 0 ? value + Prime : value;
    }

    private static void WriteScalar(BigInteger value, Span<byte> destination)
    {
        destination.Clear();
        var length = value.GetByteCount(isUnsigned: true);
        value.TryWriteBytes(destination[(32 - length)..], out _, isUnsigned: true, isBigEndian: true);
    }
}

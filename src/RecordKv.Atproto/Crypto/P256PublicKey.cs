using System.Security.Cryptography;

namespace RecordKv.Atproto.Crypto;

/// <summary>A P-256 public key verified through the BCL's <see cref="ECDsa"/> (OpenSSL on Linux), with the point imported once.</summary>
internal sealed class P256PublicKey : AtprotoPublicKey
{
    private readonly ECDsa _ecdsa;
    private readonly byte[] _x;
    private readonly byte[] _y;

    private P256PublicKey(byte[] compressedPoint, byte[] x, byte[] y)
        : base(compressedPoint)
    {
        _x = x;
        _y = y;
        _ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = x, Y = y },
        });
    }

    /// <inheritdoc />
    public override KeyAlgorithm Algorithm => KeyAlgorithm.P256;

    /// <summary>Decodes a SEC1 point (33 or 65 bytes), checking it is on the curve.</summary>
    public static P256PublicKey Create(ReadOnlySpan<byte> point)
    {
        CheckPointEncoding(KeyAlgorithm.P256, point);
        var x = new byte[32];
        var y = new byte[32];
        if (point.Length == CompressedPointLength)
        {
            if (!P256Point.TryDecompress(point, x, y))
            {
                throw new KeyFormatException("The compressed P-256 public key is not a point on the curve.");
            }
        }
        else
        {
            point[1..33].CopyTo(x);
            point[33..].CopyTo(y);
            if (!P256Point.IsOnCurve(x, y))
            {
                throw new KeyFormatException("The uncompressed P-256 public key is not a point on the curve.");
            }
        }

        return new P256PublicKey(Compress(x, y), x, y);
    }

    /// <summary>The SEC1 compressed form of (x, y).</summary>
    internal static byte[] Compress(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        var compressed = new byte[CompressedPointLength];
        compressed[0] = (byte)((y[31] & 1) == 0 ? 0x02 : 0x03);
        x.CopyTo(compressed.AsSpan(1));
        return compressed;
    }

    /// <inheritdoc />
    public override bool VerifyHash(ReadOnlySpan<byte> sha256Hash, ReadOnlySpan<byte> signature)
    {
        if (sha256Hash.Length != 32 || signature.Length != EcdsaSignature.Length)
        {
            return false;
        }

        // OpenSSL accepts either S; atproto accepts only the low one.
        if (!EcdsaSignature.IsLowSUnchecked(KeyAlgorithm.P256, signature[32..]))
        {
            return false;
        }

        return _ecdsa.VerifyHash(sha256Hash, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <inheritdoc />
    public override byte[] ToUncompressedPoint()
    {
        var uncompressed = new byte[UncompressedPointLength];
        uncompressed[0] = 0x04;
        _x.CopyTo(uncompressed, 1);
        _y.CopyTo(uncompressed, 33);
        return uncompressed;
    }
}

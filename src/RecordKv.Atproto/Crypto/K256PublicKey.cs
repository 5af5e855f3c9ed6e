using System.Runtime.CompilerServices;

namespace RecordKv.Atproto.Crypto;

/// <summary>A secp256k1 public key verified through libsecp256k1, with the library's parsed form cached.</summary>
internal sealed unsafe class K256PublicKey : AtprotoPublicKey
{
    // The opaque secp256k1_pubkey, parsed once; pinned so verification needs no fixed statement per call.
    private readonly byte[] _parsed;

    private K256PublicKey(byte[] compressedPoint, byte[] parsed)
        : base(compressedPoint)
    {
        _parsed = parsed;
    }

    /// <inheritdoc />
    public override KeyAlgorithm Algorithm => KeyAlgorithm.K256;

    /// <summary>Parses a SEC1 point (33 or 65 bytes) with libsecp256k1, which checks it is on the curve.</summary>
    public static K256PublicKey Create(ReadOnlySpan<byte> point)
    {
        CheckPointEncoding(KeyAlgorithm.K256, point);
        var parsed = GC.AllocateArray<byte>(Secp256k1Native.OpaqueStructSize, pinned: true);
        var compressed = new byte[CompressedPointLength];
        var context = Secp256k1Context.Handle;
        fixed (byte* input = point)
        fixed (byte* output = compressed)
        {
            var parsedPointer = (byte*)Unsafe.AsPointer(ref parsed[0]);
            if (Secp256k1Native.PublicKeyParse(context, parsedPointer, input, (nuint)point.Length) != 1)
            {
                throw new KeyFormatException($"The {point.Length}-byte k256 public key is not a point on the secp256k1 curve.");
            }

            nuint outputLength = CompressedPointLength;
            Secp256k1Native.PublicKeySerialize(context, output, &outputLength, parsedPointer, Secp256k1Native.SerializeCompressed);
        }

        return new K256PublicKey(compressed, parsed);
    }

    /// <inheritdoc />
    public override bool VerifyHash(ReadOnlySpan<byte> sha256Hash, ReadOnlySpan<byte> signature)
    {
        if (sha256Hash.Length != 32 || signature.Length != EcdsaSignature.Length)
        {
            return false;
        }

        var context = Secp256k1Context.Handle;
        var parsedSignature = stackalloc byte[Secp256k1Native.OpaqueStructSize];
        fixed (byte* signaturePointer = signature)
        fixed (byte* hashPointer = sha256Hash)
        {
            // Parsing fails when r or s is not below n.
            if (Secp256k1Native.SignatureParseCompact(context, parsedSignature, signaturePointer) != 1)
            {
                return false;
            }

            // normalize returns 1 when s was above n/2: a high-S signature, which atproto rejects.
            if (Secp256k1Native.SignatureNormalize(context, null, parsedSignature) != 0)
            {
                return false;
            }

            var publicKey = (byte*)Unsafe.AsPointer(ref _parsed[0]);
            return Secp256k1Native.Verify(context, parsedSignature, hashPointer, publicKey) == 1;
        }
    }

    /// <inheritdoc />
    public override byte[] ToUncompressedPoint()
    {
        var uncompressed = new byte[UncompressedPointLength];
        fixed (byte* output = uncompressed)
        {
            nuint outputLength = UncompressedPointLength;
            var publicKey = (byte*)Unsafe.AsPointer(ref _parsed[0]);
            Secp256k1Native.PublicKeySerialize(Secp256k1Context.Handle, output, &outputLength, publicKey, Secp256k1Native.SerializeUncompressed);
        }

        return uncompressed;
    }
}

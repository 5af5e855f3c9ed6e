using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace RecordKv.Atproto.Crypto;

/// <summary>A secp256k1 private key signing through libsecp256k1 (RFC 6979 deterministic nonces, low-S output).</summary>
internal sealed unsafe class K256PrivateKey : AtprotoPrivateKey
{
    // Pinned so native calls need no fixed statement, and the secret is never copied by the GC.
    private readonly byte[] _secret;
    private readonly K256PublicKey _publicKey;

    /// <summary>Creates the key from a scalar the caller checked is in [1, n-1].</summary>
    public K256PrivateKey(ReadOnlySpan<byte> secret)
    {
        _secret = GC.AllocateArray<byte>(SecretLength, pinned: true);
        secret.CopyTo(_secret);
        var context = Secp256k1Context.Handle;
        var secretPointer = (byte*)Unsafe.AsPointer(ref _secret[0]);
        if (Secp256k1Native.SecretKeyVerify(context, secretPointer) != 1)
        {
            CryptographicOperations.ZeroMemory(_secret);
            throw new KeyFormatException("The K256 private key is not in [1, n-1].");
        }

        var publicKey = stackalloc byte[Secp256k1Native.OpaqueStructSize];
        Secp256k1Native.PublicKeyCreate(context, publicKey, secretPointer);
        Span<byte> compressed = stackalloc byte[AtprotoPublicKey.CompressedPointLength];
        fixed (byte* output = compressed)
        {
            nuint outputLength = AtprotoPublicKey.CompressedPointLength;
            Secp256k1Native.PublicKeySerialize(context, output, &outputLength, publicKey, Secp256k1Native.SerializeCompressed);
        }

        _publicKey = K256PublicKey.Create(compressed);
    }

    /// <inheritdoc />
    public override KeyAlgorithm Algorithm => KeyAlgorithm.K256;

    /// <inheritdoc />
    public override AtprotoPublicKey PublicKey => _publicKey;

    private protected override void SignHashCore(ReadOnlySpan<byte> sha256Hash, Span<byte> signature)
    {
        var context = Secp256k1Context.Handle;
        var parsedSignature = stackalloc byte[Secp256k1Native.OpaqueStructSize];
        fixed (byte* hashPointer = sha256Hash)
        fixed (byte* output = signature)
        {
            // A null nonce function selects RFC 6979; secp256k1_ecdsa_sign always produces low S.
            if (Secp256k1Native.Sign(context, parsedSignature, hashPointer, (byte*)Unsafe.AsPointer(ref _secret[0]), 0, 0) != 1)
            {
                throw new CryptographicException("secp256k1_ecdsa_sign failed.");
            }

            Secp256k1Native.SignatureSerializeCompact(context, output, parsedSignature);
        }
    }

    private protected override byte[] ExportSecretCore() => (byte[])_secret.Clone();

    private protected override void DisposeCore() => CryptographicOperations.ZeroMemory(_secret);
}

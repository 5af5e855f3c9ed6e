using System.Security.Cryptography;
using System.Text;
using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Crypto;

/// <summary>
/// An atproto signing private key (k256 or P-256): signs SHA-256 of the data with a 64-byte
/// low-S compact signature. Safe to use from several threads; <see cref="Dispose"/> wipes the secret.
/// </summary>
public abstract class AtprotoPrivateKey : IDisposable
{
    /// <summary>Length of a raw private key (a big-endian scalar in [1, n-1]).</summary>
    public const int SecretLength = 32;

    private bool _disposed;

    private protected AtprotoPrivateKey()
    {
    }

    /// <summary>The curve of this key.</summary>
    public abstract KeyAlgorithm Algorithm { get; }

    /// <summary>The matching public key.</summary>
    public abstract AtprotoPublicKey PublicKey { get; }

    /// <summary>Creates a key from a cryptographically random scalar.</summary>
    public static AtprotoPrivateKey Generate(KeyAlgorithm algorithm)
    {
        Span<byte> secret = stackalloc byte[SecretLength];
        try
        {
            do
            {
                RandomNumberGenerator.Fill(secret);
            }
            while (!CurveOrder.IsValidScalar(algorithm, secret));

            return Create(algorithm, secret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>
    /// Derives a key deterministically from a seed: the scalar is SHA-256(seed), re-hashed until it
    /// is in [1, n-1]. For simulators and tests, where the same seed must give the same account.
    /// </summary>
    public static AtprotoPrivateKey FromSeed(KeyAlgorithm algorithm, ReadOnlySpan<byte> seed)
    {
        Span<byte> secret = stackalloc byte[SecretLength];
        try
        {
            SHA256.HashData(seed, secret);
            while (!CurveOrder.IsValidScalar(algorithm, secret))
            {
                SHA256.HashData(secret, secret);
            }

            return Create(algorithm, secret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>Derives a key deterministically from the UTF-8 bytes of a seed string (see the byte overload).</summary>
    public static AtprotoPrivateKey FromSeed(KeyAlgorithm algorithm, string seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        return FromSeed(algorithm, Encoding.UTF8.GetBytes(seed));
    }

    /// <summary>Imports a raw 32-byte big-endian private scalar.</summary>
    /// <exception cref="KeyFormatException">The bytes are not 32 long or not in [1, n-1].</exception>
    public static AtprotoPrivateKey Import(KeyAlgorithm algorithm, ReadOnlySpan<byte> secret)
    {
        if (secret.Length != SecretLength)
        {
            throw new KeyFormatException($"A raw {algorithm} private key is {SecretLength} bytes, not {secret.Length}.");
        }

        if (!CurveOrder.IsValidScalar(algorithm, secret))
        {
            throw new KeyFormatException($"The {algorithm} private key is not in [1, n-1] for the curve order n.");
        }

        return Create(algorithm, secret);
    }

    /// <summary>The <c>did:key</c> of the public key.</summary>
    public string ToDidKey() => PublicKey.ToDidKey();

    /// <summary>Signs SHA-256 of <paramref name="data"/>, returning a new 64-byte low-S signature.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        var signature = new byte[EcdsaSignature.Length];
        Sign(data, signature);
        return signature;
    }

    /// <summary>Signs SHA-256 of <paramref name="data"/> into a 64-byte destination (low-S), allocating nothing.</summary>
    public void Sign(ReadOnlySpan<byte> data, Span<byte> signature)
    {
        Span<byte> hash = stackalloc byte[Sha256.DigestLength];
        Sha256.Hash(data, hash);
        SignHash(hash, signature);
    }

    /// <summary>Signs an already computed 32-byte SHA-256 hash into a 64-byte destination (low-S).</summary>
    public void SignHash(ReadOnlySpan<byte> sha256Hash, Span<byte> signature)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (sha256Hash.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException($"A SHA-256 hash is 32 bytes, not {sha256Hash.Length}.", nameof(sha256Hash));
        }

        if (signature.Length < EcdsaSignature.Length)
        {
            throw new ArgumentException($"The destination holds {signature.Length} bytes; a signature needs {EcdsaSignature.Length}.", nameof(signature));
        }

        SignHashCore(sha256Hash, signature[..EcdsaSignature.Length]);
    }

    /// <summary>The raw 32-byte big-endian private scalar (handle with care).</summary>
    public byte[] ExportSecret()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return ExportSecretCore();
    }

    /// <summary>Wipes the secret and releases native resources.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            DisposeCore();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Signs a 32-byte hash into exactly 64 bytes; the result must be low-S.</summary>
    private protected abstract void SignHashCore(ReadOnlySpan<byte> sha256Hash, Span<byte> signature);

    /// <summary>Copies the secret out.</summary>
    private protected abstract byte[] ExportSecretCore();

    /// <summary>Wipes the secret.</summary>
    private protected abstract void DisposeCore();

    private static AtprotoPrivateKey Create(KeyAlgorithm algorithm, ReadOnlySpan<byte> secret) => algorithm switch
    {
        KeyAlgorithm.K256 => new K256PrivateKey(secret),
        KeyAlgorithm.P256 => new P256PrivateKey(secret),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown key algorithm."),
    };
}

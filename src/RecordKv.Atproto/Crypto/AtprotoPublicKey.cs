using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Crypto;

/// <summary>
/// An atproto signing public key (k256 or P-256). Immutable and safe to share between threads:
/// the curve point is parsed once when the key is created, so verifying does no parsing and
/// allocates nothing. Equal keys have equal <see cref="ToDidKey"/> strings.
/// </summary>
public abstract partial class AtprotoPublicKey : IEquatable<AtprotoPublicKey>
{
    /// <summary>Length of a SEC1 compressed point.</summary>
    public const int CompressedPointLength = 33;

    /// <summary>Length of a SEC1 uncompressed point.</summary>
    public const int UncompressedPointLength = 65;

    private readonly byte[] _compressedPoint;
    private string? _didKey;

    private protected AtprotoPublicKey(byte[] compressedPoint)
    {
        _compressedPoint = compressedPoint;
    }

    /// <summary>The curve of this key.</summary>
    public abstract KeyAlgorithm Algorithm { get; }

    /// <summary>The JWT algorithm name: <c>ES256K</c> for k256, <c>ES256</c> for P-256.</summary>
    public string JwtAlgorithm => Algorithm == KeyAlgorithm.K256 ? "ES256K" : "ES256";

    /// <summary>The 33-byte SEC1 compressed point.</summary>
    public ReadOnlySpan<byte> CompressedPoint => _compressedPoint;

    /// <summary>Verifies an atproto signature (64-byte r||s, low-S only) over SHA-256 of <paramref name="data"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        Span<byte> hash = stackalloc byte[Sha256.DigestLength];
        Sha256.Hash(data, hash);
        return VerifyHash(hash, signature);
    }

    /// <summary>
    /// Verifies an atproto signature over an already computed 32-byte SHA-256 hash. Returns false
    /// for anything but a 64-byte compact signature with s in [1, n/2] that matches this key.
    /// </summary>
    public abstract bool VerifyHash(ReadOnlySpan<byte> sha256Hash, ReadOnlySpan<byte> signature);

    /// <summary>The <c>did:key:z…</c> form of this key (computed once).</summary>
    public string ToDidKey() => _didKey ??= string.Concat(Multikey.DidKeyPrefix, ToMultikey());

    /// <summary>The Multikey <c>publicKeyMultibase</c> form: <c>z</c> + base58btc(multicodec prefix + compressed point).</summary>
    public string ToMultikey() => Multikey.Format(Algorithm, _compressedPoint);

    /// <summary>The SEC1 uncompressed point (0x04 || x || y).</summary>
    public abstract byte[] ToUncompressedPoint();

    /// <summary>Whether both keys are the same curve point.</summary>
    public bool Equals(AtprotoPublicKey? other) =>
        other is not null && other.Algorithm == Algorithm && other._compressedPoint.AsSpan().SequenceEqual(_compressedPoint);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is AtprotoPublicKey other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.Add(Algorithm);
        hash.AddBytes(_compressedPoint);
        return hash.ToHashCode();
    }

    /// <summary>The <c>did:key</c> form.</summary>
    public override string ToString() => ToDidKey();
}

using RecordKv.Atproto.Crypto;

namespace RecordKv.Simulator.Encoding;

/// <summary>An account signing key that signs deterministically on both curves (see <see cref="DeterministicP256Signer"/>).</summary>
internal sealed class SimSigner
{
    private readonly DeterministicP256Signer? _p256;

    public SimSigner(AtprotoPrivateKey key)
    {
        Key = key;
        if (key.Algorithm == KeyAlgorithm.P256)
        {
            _p256 = new DeterministicP256Signer(key.ExportSecret());
        }
    }

    public AtprotoPrivateKey Key { get; }

    public AtprotoPublicKey PublicKey => Key.PublicKey;

    public KeyAlgorithm Algorithm => Key.Algorithm;

    /// <summary>Signs SHA-256 of <paramref name="data"/> into a 64-byte low-S signature; the same input always gives the same bytes.</summary>
    public void Sign(ReadOnlySpan<byte> data, Span<byte> signature)
    {
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(data, hash);
        if (_p256 is not null)
        {
            _p256.SignHash(hash, signature);
        }
        else
        {
            Key.SignHash(hash, signature);
        }
    }
}

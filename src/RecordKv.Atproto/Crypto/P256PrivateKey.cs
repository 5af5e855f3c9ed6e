using System.Security.Cryptography;

namespace RecordKv.Atproto.Crypto;

/// <summary>A P-256 private key signing through the BCL's <see cref="ECDsa"/>; signatures are normalized to low S.</summary>
internal sealed class P256PrivateKey : AtprotoPrivateKey
{
    private readonly ECDsa _ecdsa;
    private readonly AtprotoPublicKey _publicKey;

    /// <summary>Creates the key from a scalar the caller checked is in [1, n-1]; the public point is derived by the BCL.</summary>
    public P256PrivateKey(ReadOnlySpan<byte> secret)
    {
        var d = secret.ToArray();
        try
        {
            _ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d });
        }
        finally
        {
            CryptographicOperations.ZeroMemory(d);
        }

        var publicParameters = _ecdsa.ExportParameters(includePrivateParameters: false);
        _publicKey = P256PublicKey.Create(P256PublicKey.Compress(publicParameters.Q.X, publicParameters.Q.Y));
    }

    /// <inheritdoc />
    public override KeyAlgorithm Algorithm => KeyAlgorithm.P256;

    /// <inheritdoc />
    public override AtprotoPublicKey PublicKey => _publicKey;

    private protected override void SignHashCore(ReadOnlySpan<byte> sha256Hash, Span<byte> signature)
    {
        if (!_ecdsa.TrySignHash(sha256Hash, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation, out var written) || written != EcdsaSignature.Length)
        {
            throw new CryptographicException("P-256 signing did not produce a 64-byte signature.");
        }

        // OpenSSL picks either S; atproto accepts only the low one.
        EcdsaSignature.NormalizeInPlace(KeyAlgorithm.P256, signature);
    }

    private protected override byte[] ExportSecretCore()
    {
        var parameters = _ecdsa.ExportParameters(includePrivateParameters: true);
        return parameters.D!;
    }

    private protected override void DisposeCore() => _ecdsa.Dispose();
}

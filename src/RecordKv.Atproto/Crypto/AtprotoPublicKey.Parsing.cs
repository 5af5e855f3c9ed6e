using System.Diagnostics.CodeAnalysis;

namespace RecordKv.Atproto.Crypto;

/// <summary>Parsing keys from their text and binary forms.</summary>
public abstract partial class AtprotoPublicKey
{
    /// <summary>Parses <c>did:key:z…</c> (k256 or P-256, compressed point, as atproto requires).</summary>
    /// <exception cref="KeyFormatException">The string is not such a did:key.</exception>
    public static AtprotoPublicKey ParseDidKey(string didKey)
    {
        ArgumentNullException.ThrowIfNull(didKey);
        if (!didKey.StartsWith(Multikey.DidKeyPrefix, StringComparison.Ordinal))
        {
            throw new KeyFormatException($"'{Truncate(didKey)}' is not a did:key: it must start with '{Multikey.DidKeyPrefix}'.");
        }

        return ParseMultikeyCore(didKey.AsSpan(Multikey.DidKeyPrefix.Length), "The did:key");
    }

    /// <summary>Parses a did:key, returning false instead of throwing when it is malformed.</summary>
    public static bool TryParseDidKey(string? didKey, [NotNullWhen(true)] out AtprotoPublicKey? key)
    {
        key = null;
        if (didKey is null || !didKey.StartsWith(Multikey.DidKeyPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            key = ParseMultikeyCore(didKey.AsSpan(Multikey.DidKeyPrefix.Length), "The did:key");
            return true;
        }
        catch (KeyFormatException)
        {
            return false;
        }
    }

    /// <summary>Parses a Multikey <c>publicKeyMultibase</c> value: <c>z</c> + base58btc(multicodec prefix + compressed point).</summary>
    /// <exception cref="KeyFormatException">The string is not such a key.</exception>
    public static AtprotoPublicKey ParseMultikey(string publicKeyMultibase)
    {
        ArgumentNullException.ThrowIfNull(publicKeyMultibase);
        return ParseMultikeyCore(publicKeyMultibase, "The Multikey");
    }

    /// <summary>
    /// Parses the legacy DID-document form (<c>EcdsaSecp256k1VerificationKey2019</c> /
    /// <c>EcdsaSecp256r1VerificationKey2019</c>): <c>z</c> + base58btc of the bare SEC1 point,
    /// compressed (33 bytes) or uncompressed (65 bytes), without a multicodec prefix.
    /// </summary>
    /// <exception cref="KeyFormatException">The string is not such a key.</exception>
    public static AtprotoPublicKey ParseLegacyMultibase(KeyAlgorithm algorithm, string publicKeyMultibase)
    {
        ArgumentNullException.ThrowIfNull(publicKeyMultibase);
        Span<byte> decoded = stackalloc byte[Multikey.MaxMultibaseLength];
        var length = Multikey.DecodeBase58Btc(publicKeyMultibase, decoded, "The legacy publicKeyMultibase");
        return FromPoint(algorithm, decoded[..length]);
    }

    /// <summary>Creates a key from a SEC1 point: 33 bytes compressed (0x02/0x03 prefix) or 65 bytes uncompressed (0x04 prefix).</summary>
    /// <exception cref="KeyFormatException">The bytes are not a point of the curve.</exception>
    public static AtprotoPublicKey FromPoint(KeyAlgorithm algorithm, ReadOnlySpan<byte> point) => algorithm switch
    {
        KeyAlgorithm.K256 => K256PublicKey.Create(point),
        KeyAlgorithm.P256 => P256PublicKey.Create(point),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown key algorithm."),
    };

    private static AtprotoPublicKey ParseMultikeyCore(ReadOnlySpan<char> multibase, string what)
    {
        Span<byte> decoded = stackalloc byte[Multikey.MaxMultibaseLength];
        var length = Multikey.DecodeBase58Btc(multibase, decoded, what);
        var bytes = decoded[..length];

        KeyAlgorithm algorithm;
        if (bytes.StartsWith(Multikey.K256Prefix))
        {
            algorithm = KeyAlgorithm.K256;
        }
        else if (bytes.StartsWith(Multikey.P256Prefix))
        {
            algorithm = KeyAlgorithm.P256;
        }
        else
        {
            throw new KeyFormatException(
                $"{what} has an unsupported multicodec prefix 0x{Convert.ToHexString(bytes[..Math.Min(2, bytes.Length)])}: atproto keys are secp256k1-pub (0xE7) or p256-pub (0x1200).");
        }

        var point = bytes[2..];
        if (point.Length != CompressedPointLength)
        {
            throw new KeyFormatException(
                $"{what} holds a {algorithm} key of {point.Length} bytes; atproto requires the {CompressedPointLength}-byte compressed point.");
        }

        return FromPoint(algorithm, point);
    }

    private static string Truncate(string value) => value.Length <= 80 ? value : string.Concat(value.AsSpan(0, 80), "…");

    /// <summary>Throws unless the bytes look like a SEC1 compressed or uncompressed point.</summary>
    private protected static void CheckPointEncoding(KeyAlgorithm algorithm, ReadOnlySpan<byte> point)
    {
        var ok = point.Length switch
        {
            CompressedPointLength => point[0] is 0x02 or 0x03,
            UncompressedPointLength => point[0] == 0x04,
            _ => throw new KeyFormatException(
                $"A {algorithm} public key is {CompressedPointLength} bytes (compressed) or {UncompressedPointLength} bytes (uncompressed), not {point.Length}."),
        };
        if (!ok)
        {
            throw new KeyFormatException($"A {point.Length}-byte {algorithm} public key cannot start with 0x{point[0]:X2}.");
        }
    }
}

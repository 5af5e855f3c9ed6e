using SimpleBase;

namespace RecordKv.Atproto.Crypto;

/// <summary>
/// The text forms of public keys: <c>did:key:z…</c>, Multikey <c>z…</c> (multicodec varint prefix
/// + 33-byte compressed point, base58btc) and the legacy DID-document <c>z…</c> (bare point).
/// </summary>
internal static class Multikey
{
    /// <summary>The <c>did:key:</c> prefix.</summary>
    public const string DidKeyPrefix = "did:key:";

    /// <summary>Upper bound on a multibase key's length; anything longer is rejected before decoding.</summary>
    public const int MaxMultibaseLength = 128;

    /// <summary>Varint of multicodec 0xE7 (secp256k1-pub).</summary>
    public static ReadOnlySpan<byte> K256Prefix => [0xE7, 0x01];

    /// <summary>Varint of multicodec 0x1200 (p256-pub).</summary>
    public static ReadOnlySpan<byte> P256Prefix => [0x80, 0x24];

    /// <summary>The multicodec prefix of an algorithm.</summary>
    public static ReadOnlySpan<byte> PrefixOf(KeyAlgorithm algorithm) => algorithm == KeyAlgorithm.K256 ? K256Prefix : P256Prefix;

    /// <summary>Formats a compressed point as a Multikey string (<c>z</c> + base58btc of prefix and point).</summary>
    public static string Format(KeyAlgorithm algorithm, ReadOnlySpan<byte> compressedPoint)
    {
        var prefix = PrefixOf(algorithm);
        Span<byte> prefixed = stackalloc byte[prefix.Length + compressedPoint.Length];
        prefix.CopyTo(prefixed);
        compressedPoint.CopyTo(prefixed[prefix.Length..]);
        return string.Concat("z", Base58.Bitcoin.Encode(prefixed));
    }

    /// <summary>Decodes a base58btc multibase string (leading <c>z</c>) into <paramref name="destination"/>, returning the byte count.</summary>
    public static int DecodeBase58Btc(ReadOnlySpan<char> multibase, Span<byte> destination, string what)
    {
        if (multibase.Length == 0)
        {
            throw new KeyFormatException($"{what} is empty.");
        }

        if (multibase.Length > MaxMultibaseLength)
        {
            throw new KeyFormatException($"{what} is {multibase.Length} characters long; keys are at most {MaxMultibaseLength}.");
        }

        if (multibase[0] != 'z')
        {
            throw new KeyFormatException($"{what} must be multibase base58btc (leading 'z'), but starts with '{multibase[0]}'.");
        }

        var encoded = multibase[1..];
        if (encoded.Length == 0)
        {
            throw new KeyFormatException($"{what} has no key after the multibase prefix 'z'.");
        }

        if (!Base58.Bitcoin.TryDecode(encoded, destination, out var written))
        {
            throw new KeyFormatException($"{what} is not valid base58btc (characters outside the Bitcoin alphabet, or too long).");
        }

        return written;
    }
}

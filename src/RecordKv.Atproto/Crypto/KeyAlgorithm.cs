namespace RecordKv.Atproto.Crypto;

/// <summary>The elliptic curves atproto signs with.</summary>
public enum KeyAlgorithm
{
    /// <summary>secp256k1 (JWT "ES256K", multicodec 0xE7).</summary>
    K256 = 1,

    /// <summary>NIST P-256 / secp256r1 (JWT "ES256", multicodec 0x1200).</summary>
    P256 = 2,
}

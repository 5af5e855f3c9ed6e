using System.Runtime.InteropServices;

namespace RecordKv.Atproto.Crypto;

/// <summary>
/// The few libsecp256k1 functions atproto needs (Debian package <c>libsecp256k1-1</c>, 0.2.0).
/// Every argument is a pointer or an integer, so the generated stubs marshal nothing.
/// Opaque structs (<c>secp256k1_pubkey</c>, <c>secp256k1_ecdsa_signature</c>) are 64 bytes each.
/// </summary>
internal static unsafe partial class Secp256k1Native
{
    /// <summary>The shared object name Debian installs.</summary>
    public const string LibraryName = "libsecp256k1.so.1";

    /// <summary>Size of the opaque <c>secp256k1_pubkey</c> and <c>secp256k1_ecdsa_signature</c> structs.</summary>
    public const int OpaqueStructSize = 64;

    /// <summary><c>SECP256K1_CONTEXT_NONE</c>: since 0.2.0 every context can sign and verify.</summary>
    public const uint ContextNone = 1;

    /// <summary><c>SECP256K1_EC_COMPRESSED</c>.</summary>
    public const uint SerializeCompressed = (1 << 1) | (1 << 8);

    /// <summary><c>SECP256K1_EC_UNCOMPRESSED</c>.</summary>
    public const uint SerializeUncompressed = 1 << 1;

    [LibraryImport(LibraryName, EntryPoint = "secp256k1_context_create")]
    public static partial nint ContextCreate(uint flags);

    [LibraryImport(LibraryName, EntryPoint = "secp256k1_context_randomize")]
    public static partial int ContextRandomize(nint context, byte* seed32);

    [LibraryImport(LibraryName, EntryPoint = "secp256k1_ec_pubkey_parse")]
    public static partial int PublicKeyParse(nint context, byte* publicKey, byte* input, nuint inputLength);

    [LibraryImport(LibraryName, EntryPoint = "secp256k1_ec_pubkey_serialize")]
    public static partial int PublicKeySerialize(nint context, byte* output, nuint* outputLength, byte* publicKey, uint flags);

    [LibraryImport(LibraryName, EntryPoint = "secp256k1_ec_pubkey_create")]
    public static partial int PublicKeyCreate(nint context, byte* publicKey, byte* secretKey);

    [LibraryImport(LibraryName, EntryPoint = "secp256k1_ec_seckey_verify")]
    public static partial int SecretKeyVerify(nint context, byte* secretKey);

    [LibraryImport(LibraryName, EntryPoint = "secp256k1_ecdsa_signature_parse_compact")]
    public static partial int SignatureParseCompact(nint context, byte* signature, byte* input64);

    [LibraryImport(LibraryName, EntryPoint = "secp256k1_ecdsa_signature_serialize_compact")]
    public static partial int SignatureSerializeCompact(nint context, byte* output64, byte* signature);

    [LibraryImport(LibraryName, EntryPoint = "secp256k1_ecdsa_signature_normalize")]
    public static partial int SignatureNormalize(nint context, byte* normalized, byte* signature);

    [LibraryImport(LibraryName, EntryPoint = "secp256k1_ecdsa_verify")]
    public static partial int Verify(nint context, byte* signature, byte* messageHash32, byte* publicKey);

    [LibraryImport(LibraryName, EntryPoint = "secp256k1_ecdsa_sign")]
    public static partial int Sign(nint context, byte* signature, byte* messageHash32, byte* secretKey, nint nonceFunction, nint nonceData);
}

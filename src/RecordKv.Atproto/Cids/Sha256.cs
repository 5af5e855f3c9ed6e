using System.Diagnostics;
using System.Security.Cryptography;

namespace RecordKv.Atproto.Cids;

/// <summary>
/// SHA-256 for the many short inputs atproto hashes (CAR blocks, MST nodes and keys, commits). The BCL's
/// <c>SHA256.HashData</c> sets up an OpenSSL 3 digest context per call, which costs more than hashing a few hundred
/// bytes; libcrypto's low-level <c>SHA256_*</c> functions skip that and still use the CPU's SHA extensions. Inputs
/// up to <see cref="NativeLimit"/> bytes take that path when libcrypto is loadable; longer ones (where the setup is
/// noise) and every input on a machine without it go through the BCL, except tiny ones, which managed code hashes.
/// </summary>
internal static class Sha256
{
    /// <summary>The longest input hashed through libcrypto's low-level functions (a few microseconds at most).</summary>
    public const int NativeLimit = 4096;

    /// <summary>Without libcrypto, inputs up to this length are hashed in managed code, which beats the BCL's setup.</summary>
    public const int ManagedLimit = 64;

    /// <summary>The digest length in bytes.</summary>
    public const int DigestLength = 32;

    private static readonly bool NativeAvailable = LibCryptoSha256.IsAvailable();

    /// <summary>Writes SHA-256 of <paramref name="data"/> into the first 32 bytes of <paramref name="digest"/>.</summary>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> digest)
    {
        Debug.Assert(digest.Length >= DigestLength, "The digest needs 32 bytes.");
        if (data.Length <= NativeLimit && NativeAvailable)
        {
            LibCryptoSha256.Hash(data, digest);
        }
        else if (data.Length <= ManagedLimit)
        {
            ManagedSha256.Hash(data, digest);
        }
        else
        {
            SHA256.HashData(data, digest);
        }
    }
}

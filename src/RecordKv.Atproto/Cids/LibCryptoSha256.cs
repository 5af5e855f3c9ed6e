using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RecordKv.Atproto.Cids;

/// <summary>
/// libcrypto's low-level <c>SHA256_Init/Update/Final</c> (OpenSSL 3 keeps them, deprecated but exported), which the
/// .NET runtime on Linux already loads. They hash with the CPU's SHA extensions and, unlike the EVP interface the BCL
/// uses, need no provider lookup or context allocation per call. The calls are short and never block, so they skip
/// the GC transition; <see cref="Sha256"/> only sends inputs of a few kilobytes this way.
/// </summary>
internal static unsafe partial class LibCryptoSha256
{
    private const string LibraryName = "libcrypto.so.3";

    // sizeof(SHA256_CTX) is 112 bytes; a little more in case a build pads it.
    private const int ContextSize = 128;

    /// <summary>Whether libcrypto loads, exports the three functions and hashes the FIPS 180 "abc" vector right.</summary>
    public static bool IsAvailable()
    {
        if (!NativeLibrary.TryLoad(LibraryName, typeof(LibCryptoSha256).Assembly, null, out var library))
        {
            return false;
        }

        if (!NativeLibrary.TryGetExport(library, "SHA256_Init", out _)
            || !NativeLibrary.TryGetExport(library, "SHA256_Update", out _)
            || !NativeLibrary.TryGetExport(library, "SHA256_Final", out _))
        {
            return false;
        }

        try
        {
            Span<byte> digest = stackalloc byte[Sha256.DigestLength];
            Hash("abc"u8, digest);
            return Convert.ToHexStringLower(digest) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Writes SHA-256 of <paramref name="data"/> into <paramref name="digest"/> (32 bytes); callers check <see cref="IsAvailable"/> first.</summary>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> digest)
    {
        // libcrypto's SHA-extension code is legacy-SSE encoded. Managed code leaves the upper halves of the AVX
        // registers dirty (vectorized span helpers), and SSE instructions then pay for merging them: a 30-byte hash
        // took 4x as long (~450 ns instead of ~110 ns, the C figure). The JIT emits vzeroupper before each native
        // call of a method that uses 256-bit vectors, so clearing the context with them here makes those calls
        // start from a clean state.
        var context = stackalloc byte[ContextSize];
        for (var offset = 0; offset < ContextSize; offset += 32)
        {
            Vector256<byte>.Zero.Store(context + offset);
        }

        fixed (byte* input = data)
        fixed (byte* output = digest)
        {
            Init(context);
            Update(context, input, (nuint)data.Length);
            Final(output, context);
        }
    }

    [LibraryImport(LibraryName, EntryPoint = "SHA256_Init")]
    [SuppressGCTransition]
    private static partial int Init(byte* context);

    [LibraryImport(LibraryName, EntryPoint = "SHA256_Update")]
    [SuppressGCTransition]
    private static partial int Update(byte* context, byte* data, nuint length);

    [LibraryImport(LibraryName, EntryPoint = "SHA256_Final")]
    [SuppressGCTransition]
    private static partial int Final(byte* digest, byte* context);
}

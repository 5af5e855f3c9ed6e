using System.Security.Cryptography;

namespace RecordKv.Atproto.Crypto;

/// <summary>
/// The one libsecp256k1 context the process uses. It is created and randomized once (the only
/// calls that mutate a context); after that the library documents every sign, verify and parse
/// call on a shared <c>const</c> context as safe from any number of threads.
/// </summary>
internal static unsafe class Secp256k1Context
{
    private static readonly nint Shared = Create();

    /// <summary>The shared, randomized context.</summary>
    public static nint Handle => Shared;

    private static nint Create()
    {
        nint context;
        try
        {
            context = Secp256k1Native.ContextCreate(Secp256k1Native.ContextNone);
        }
        catch (DllNotFoundException exception)
        {
            throw new InvalidOperationException(
                $"{Secp256k1Native.LibraryName} was not found: install the Debian package libsecp256k1-1 (k256 signatures need it).",
                exception);
        }

        if (context == 0)
        {
            throw new InvalidOperationException("secp256k1_context_create returned NULL.");
        }

        // Randomizing blinds the signing code against side channels; it does not affect results.
        Span<byte> seed = stackalloc byte[32];
        RandomNumberGenerator.Fill(seed);
        fixed (byte* seedPointer = seed)
        {
            if (Secp256k1Native.ContextRandomize(context, seedPointer) != 1)
            {
                throw new InvalidOperationException("secp256k1_context_randomize failed.");
            }
        }

        CryptographicOperations.ZeroMemory(seed);
        return context;
    }
}

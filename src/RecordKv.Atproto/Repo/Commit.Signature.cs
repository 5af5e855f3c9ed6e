using System.Buffers;
using RecordKv.Atproto.Crypto;

namespace RecordKv.Atproto.Repo;

public sealed partial class Commit
{
    private const int StackUnsignedLimit = 512;

    /// <summary>Whether <see cref="Signature"/> is a valid low-S signature by <paramref name="publicKey"/> over the unsigned commit.</summary>
    public bool VerifySignature(AtprotoPublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        var length = UnsignedLength;
        byte[]? rented = null;
        var buffer = length <= StackUnsignedLimit
            ? stackalloc byte[StackUnsignedLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = WriteUnsignedBytes(buffer);
            return publicKey.Verify(buffer[..written], Signature.Span);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}

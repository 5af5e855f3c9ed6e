using System.Buffers;
using RecordKv.Atproto.Cids;
using RecordKv.Atproto.Crypto;

namespace RecordKv.Atproto.Repo;

public sealed partial class Commit
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_scratch;

    /// <summary>Creates and signs a v3 commit: the unsigned fields are encoded, hashed and signed with <paramref name="signingKey"/>.</summary>
    /// <param name="did">The account DID.</param>
    /// <param name="data">The MST root CID.</param>
    /// <param name="rev">The revision TID; must be greater than the previous commit's.</param>
    /// <param name="signingKey">The account's signing key.</param>
    /// <param name="prev">The previous commit CID; atproto v3 writes null.</param>
    public static Commit Create(string did, Cid data, string rev, AtprotoPrivateKey signingKey, Cid? prev = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(did);
        ArgumentException.ThrowIfNullOrEmpty(rev);
        ArgumentNullException.ThrowIfNull(signingKey);
        var unsigned = Scratch();
        WriteFields(unsigned, did, data, rev, prev, default, includeSignature: false);
        Span<byte> signature = stackalloc byte[EcdsaSignature.Length];
        signingKey.Sign(unsigned.WrittenSpan, signature);
        return WithSignature(did, data, rev, prev, signature);
    }

    /// <summary>Encodes the unsigned form of a v3 commit: the bytes a signature covers (for signers other than <see cref="AtprotoPrivateKey"/>).</summary>
    public static byte[] EncodeUnsigned(string did, Cid data, string rev, Cid? prev = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(did);
        ArgumentException.ThrowIfNullOrEmpty(rev);
        var unsigned = Scratch();
        WriteFields(unsigned, did, data, rev, prev, default, includeSignature: false);
        return unsigned.WrittenSpan.ToArray();
    }

    /// <summary>Encodes a v3 commit with a given signature (valid or not); for tests and fault injection.</summary>
    public static Commit WithSignature(string did, Cid data, string rev, Cid? prev, ReadOnlySpan<byte> signature)
    {
        ArgumentException.ThrowIfNullOrEmpty(did);
        ArgumentException.ThrowIfNullOrEmpty(rev);
        if (data.Codec != CidCodec.DagCbor || prev is { Codec: not CidCodec.DagCbor })
        {
            throw new ArgumentException("A commit's data and prev are dag-cbor CIDs.", nameof(data));
        }

        // Encoded here, so the fields and the signature's place are known: nothing to decode again.
        var signed = Scratch();
        var (signatureEntryStart, signatureEntryEnd) = WriteFields(signed, did, data, rev, prev, signature, includeSignature: true);
        var block = signed.WrittenSpan.ToArray();
        return new Commit(
            block,
            did,
            CurrentVersion,
            data,
            rev,
            prev,
            block.AsMemory(signatureEntryEnd - signature.Length, signature.Length),
            mapHeaderLength: 1,
            fieldCount: 6,
            signatureEntryStart,
            signatureEntryEnd);
    }

    // Per thread, reused: every commit encoding is copied out to an array of its exact length.
    private static ArrayBufferWriter<byte> Scratch()
    {
        var scratch = t_scratch ??= new ArrayBufferWriter<byte>(256);
        scratch.ResetWrittenCount();
        return scratch;
    }
}

using System.Buffers;
using RecordKv.Atproto.Cbor;
using RecordKv.Atproto.Cids;

namespace RecordKv.Simulator.Encoding;

/// <summary>
/// Encodes repository commit objects (version 3). The keys are written in DAG-CBOR order (shorter first, then
/// bytewise): did, rev, sig, data, prev, version.
/// </summary>
internal static class CommitEncoder
{
    /// <summary>The unsigned commit: the bytes whose SHA-256 the signature covers.</summary>
    public static byte[] EncodeUnsigned(string did, string rev, Cid data) => Encode(did, rev, data, null);

    /// <summary>The signed commit block.</summary>
    public static byte[] EncodeSigned(string did, string rev, Cid data, ReadOnlySpan<byte> signature) => Encode(did, rev, data, signature.ToArray());

    private static byte[] Encode(string did, string rev, Cid data, byte[]? signature)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var writer = new DagCborWriter(buffer);
        writer.WriteMapHeader(signature is null ? 5 : 6);
        writer.WriteText("did"u8);
        writer.WriteText(did);
        writer.WriteText("rev"u8);
        writer.WriteText(rev);
        if (signature is not null)
        {
            writer.WriteText("sig"u8);
            writer.WriteBytes(signature);
        }

        writer.WriteText("data"u8);
        writer.WriteCid(data);
        writer.WriteText("prev"u8);
        writer.WriteNull();
        writer.WriteText("version"u8);
        writer.WriteInt64(3);
        return buffer.WrittenSpan.ToArray();
    }
}

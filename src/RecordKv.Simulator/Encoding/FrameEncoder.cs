using System.Buffers;
using RecordKv.Atproto.Cbor;
using RecordKv.Atproto.Cids;

namespace RecordKv.Simulator.Encoding;

/// <summary>
/// Encodes event-stream frames as com.atproto.sync.subscribeRepos frames them: a DAG-CBOR header
/// (<c>{t, op: 1}</c>, or <c>{op: -1}</c> for errors) followed by the DAG-CBOR body, in one binary message.
/// Every map is written in DAG-CBOR key order (shorter keys first, then bytewise).
/// </summary>
internal static class FrameEncoder
{
    public static byte[] Commit(long seq, string repo, string rev, string? since, Cid commit, ReadOnlySpan<byte> blocks, IReadOnlyList<CommitOp> ops, Cid? prevData, string time)
    {
        var buffer = new ArrayBufferWriter<byte>(blocks.Length + 256 + (ops.Count * 128));
        var writer = new DagCborWriter(buffer);
        WriteHeader(writer, "#commit");

        // ops, rev, seq, repo, time, blobs, since, blocks, commit, rebase, tooBig, prevData
        writer.WriteMapHeader(prevData is null ? 11 : 12);
        writer.WriteText("ops"u8);
        writer.WriteArrayHeader(ops.Count);
        foreach (var op in ops)
        {
            // cid, path, prev, action
            writer.WriteMapHeader(op.Prev is null ? 3 : 4);
            writer.WriteText("cid"u8);
            if (op.Cid is { } cid)
            {
                writer.WriteCid(cid);
            }
            else
            {
                writer.WriteNull();
            }

            writer.WriteText("path"u8);
            writer.WriteText(op.Path);
            if (op.Prev is { } prev)
            {
                writer.WriteText("prev"u8);
                writer.WriteCid(prev);
            }

            writer.WriteText("action"u8);
            writer.WriteText(op.Action);
        }

        writer.WriteText("rev"u8);
        writer.WriteText(rev);
        writer.WriteText("seq"u8);
        writer.WriteInt64(seq);
        writer.WriteText("repo"u8);
        writer.WriteText(repo);
        writer.WriteText("time"u8);
        writer.WriteText(time);
        writer.WriteText("blobs"u8);
        writer.WriteArrayHeader(0);
        writer.WriteText("since"u8);
        if (since is null)
        {
            writer.WriteNull();
        }
        else
        {
            writer.WriteText(since);
        }

        writer.WriteText("blocks"u8);
        writer.WriteBytes(blocks);
        writer.WriteText("commit"u8);
        writer.WriteCid(commit);
        writer.WriteText("rebase"u8);
        writer.WriteBoolean(false);
        writer.WriteText("tooBig"u8);
        writer.WriteBoolean(false);
        if (prevData is { } previous)
        {
            writer.WriteText("prevData"u8);
            writer.WriteCid(previous);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Sync(long seq, string did, string rev, ReadOnlySpan<byte> blocks, string time)
    {
        var buffer = new ArrayBufferWriter<byte>(blocks.Length + 160);
        var writer = new DagCborWriter(buffer);
        WriteHeader(writer, "#sync");

        // did, rev, seq, time, blocks
        writer.WriteMapHeader(5);
        writer.WriteText("did"u8);
        writer.WriteText(did);
        writer.WriteText("rev"u8);
        writer.WriteText(rev);
        writer.WriteText("seq"u8);
        writer.WriteInt64(seq);
        writer.WriteText("time"u8);
        writer.WriteText(time);
        writer.WriteText("blocks"u8);
        writer.WriteBytes(blocks);
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Identity(long seq, string did, string? handle, string time)
    {
        var buffer = new ArrayBufferWriter<byte>(160);
        var writer = new DagCborWriter(buffer);
        WriteHeader(writer, "#identity");

        // did, seq, time, handle
        writer.WriteMapHeader(handle is null ? 3 : 4);
        writer.WriteText("did"u8);
        writer.WriteText(did);
        writer.WriteText("seq"u8);
        writer.WriteInt64(seq);
        writer.WriteText("time"u8);
        writer.WriteText(time);
        if (handle is not null)
        {
            writer.WriteText("handle"u8);
            writer.WriteText(handle);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Account(long seq, string did, bool active, string? status, string time)
    {
        var buffer = new ArrayBufferWriter<byte>(160);
        var writer = new DagCborWriter(buffer);
        WriteHeader(writer, "#account");

        // did, seq, time, active, status
        writer.WriteMapHeader(status is null ? 4 : 5);
        writer.WriteText("did"u8);
        writer.WriteText(did);
        writer.WriteText("seq"u8);
        writer.WriteInt64(seq);
        writer.WriteText("time"u8);
        writer.WriteText(time);
        writer.WriteText("active"u8);
        writer.WriteBoolean(active);
        if (status is not null)
        {
            writer.WriteText("status"u8);
            writer.WriteText(status);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>An event type no lexicon defines (the unknown-event-type fault): consumers must skip it.</summary>
    public static byte[] Unknown(long seq, string did, string time)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        var writer = new DagCborWriter(buffer);
        WriteHeader(writer, "#simUnknown");
        writer.WriteMapHeader(3);
        writer.WriteText("did"u8);
        writer.WriteText(did);
        writer.WriteText("seq"u8);
        writer.WriteInt64(seq);
        writer.WriteText("time"u8);
        writer.WriteText(time);
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Info(string name, string? message)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        var writer = new DagCborWriter(buffer);
        WriteHeader(writer, "#info");
        writer.WriteMapHeader(message is null ? 1 : 2);
        writer.WriteText("name"u8);
        writer.WriteText(name);
        if (message is not null)
        {
            writer.WriteText("message"u8);
            writer.WriteText(message);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>An error frame (<c>{op: -1}</c> then <c>{error, message}</c>); the server closes the stream after it.</summary>
    public static byte[] Error(string error, string? message)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        var writer = new DagCborWriter(buffer);
        writer.WriteMapHeader(1);
        writer.WriteText("op"u8);
        writer.WriteInt64(-1);
        writer.WriteMapHeader(message is null ? 1 : 2);
        writer.WriteText("error"u8);
        writer.WriteText(error);
        if (message is not null)
        {
            writer.WriteText("message"u8);
            writer.WriteText(message);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Length of the header of a frame, so that faults can corrupt the body alone.</summary>
    public static int HeaderLength(ReadOnlySpan<byte> frame)
    {
        var reader = new DagCborReader(frame);
        reader.SkipValue();
        return reader.BytesConsumed;
    }

    private static void WriteHeader(DagCborWriter writer, string type)
    {
        // t, op
        writer.WriteMapHeader(2);
        writer.WriteText("t"u8);
        writer.WriteText(type);
        writer.WriteText("op"u8);
        writer.WriteInt64(1);
    }
}

using System.Buffers;
using RecordKv.Atproto.Cbor;

namespace RecordKv.Atproto.Firehose;

public static partial class FirehoseFrame
{
    /// <summary>Encodes an event as one binary frame (header then body, canonical DAG-CBOR).</summary>
    public static byte[] Encode(FirehoseEvent firehoseEvent)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Encode(firehoseEvent, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes an event as one binary frame (header then body, canonical DAG-CBOR) to <paramref name="output"/>.</summary>
    public static void Encode(FirehoseEvent firehoseEvent, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(firehoseEvent);
        ArgumentNullException.ThrowIfNull(output);
        var writer = new DagCborWriter(output);
        switch (firehoseEvent)
        {
            case CommitEvent commit:
                WriteMessageHeader(writer, CommitEvent.TypeName);
                WriteCommit(writer, commit);
                break;
            case SyncEvent sync:
                WriteMessageHeader(writer, SyncEvent.TypeName);
                WriteSync(writer, sync);
                break;
            case IdentityEvent identity:
                WriteMessageHeader(writer, IdentityEvent.TypeName);
                WriteIdentity(writer, identity);
                break;
            case AccountEvent account:
                WriteMessageHeader(writer, AccountEvent.TypeName);
                WriteAccount(writer, account);
                break;
            case InfoEvent info:
                WriteMessageHeader(writer, InfoEvent.TypeName);
                WriteInfo(writer, info);
                break;
            case ErrorEvent error:
                writer.WriteMapHeader(1);
                writer.WriteText("op"u8);
                writer.WriteInt64(ErrorOp);
                WriteError(writer, error);
                break;
            case UnknownEvent unknown:
                writer.WriteMapHeader(unknown.HeaderType is null ? 1 : 2);
                if (unknown.HeaderType is not null)
                {
                    writer.WriteText("t"u8);
                    writer.WriteText(unknown.HeaderType);
                }

                writer.WriteText("op"u8);
                writer.WriteInt64(unknown.Op);
                output.Write(unknown.Body.Span);
                break;
            default:
                throw new ArgumentException($"Unsupported firehose event type {firehoseEvent.GetType().Name}.", nameof(firehoseEvent));
        }
    }

    // Map keys below are written in DAG-CBOR canonical order: shorter keys first, then bytewise.
    private static void WriteMessageHeader(DagCborWriter writer, string type)
    {
        writer.WriteMapHeader(2);
        writer.WriteText("t"u8);
        writer.WriteText(type);
        writer.WriteText("op"u8);
        writer.WriteInt64(MessageOp);
    }

    private static void WriteCommit(DagCborWriter writer, CommitEvent commit)
    {
        writer.WriteMapHeader(commit.PrevData is null ? 11 : 12);
        writer.WriteText("ops"u8);
        writer.WriteArrayHeader(commit.Ops.Count);
        for (var i = 0; i < commit.Ops.Count; i++)
        {
            WriteOperation(writer, commit.Ops[i]);
        }

        writer.WriteText("rev"u8);
        writer.WriteText(commit.Rev);
        writer.WriteText("seq"u8);
        writer.WriteInt64(commit.Seq);
        writer.WriteText("repo"u8);
        writer.WriteText(commit.Repo);
        writer.WriteText("time"u8);
        writer.WriteText(commit.Time);
        writer.WriteText("blobs"u8);
        writer.WriteArrayHeader(commit.Blobs.Count);
        for (var i = 0; i < commit.Blobs.Count; i++)
        {
            writer.WriteCid(commit.Blobs[i]);
        }

        writer.WriteText("since"u8);
        if (commit.Since is null)
        {
            writer.WriteNull();
        }
        else
        {
            writer.WriteText(commit.Since);
        }

        writer.WriteText("blocks"u8);
        writer.WriteBytes(commit.Blocks.Span);
        writer.WriteText("commit"u8);
        writer.WriteCid(commit.Commit);
        writer.WriteText("rebase"u8);
        writer.WriteBoolean(commit.Rebase);
        writer.WriteText("tooBig"u8);
        writer.WriteBoolean(commit.TooBig);
        if (commit.PrevData is { } prevData)
        {
            writer.WriteText("prevData"u8);
            writer.WriteCid(prevData);
        }
    }

    private static void WriteOperation(DagCborWriter writer, RepoOperation operation)
    {
        writer.WriteMapHeader(operation.Prev is null ? 3 : 4);
        writer.WriteText("cid"u8);
        if (operation.Cid is { } cid)
        {
            writer.WriteCid(cid);
        }
        else
        {
            writer.WriteNull();
        }

        writer.WriteText("path"u8);
        writer.WriteText(operation.Path);
        if (operation.Prev is { } prev)
        {
            writer.WriteText("prev"u8);
            writer.WriteCid(prev);
        }

        writer.WriteText("action"u8);
        writer.WriteText(operation.Action switch
        {
            RepoAction.Create => "create"u8,
            RepoAction.Update => "update"u8,
            RepoAction.Delete => "delete"u8,
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation.Action, "Unknown repo action."),
        });
    }

    private static void WriteSync(DagCborWriter writer, SyncEvent sync)
    {
        writer.WriteMapHeader(5);
        writer.WriteText("did"u8);
        writer.WriteText(sync.Did);
        writer.WriteText("rev"u8);
        writer.WriteText(sync.Rev);
        writer.WriteText("seq"u8);
        writer.WriteInt64(sync.Seq);
        writer.WriteText("time"u8);
        writer.WriteText(sync.Time);
        writer.WriteText("blocks"u8);
        writer.WriteBytes(sync.Blocks.Span);
    }

    private static void WriteIdentity(DagCborWriter writer, IdentityEvent identity)
    {
        writer.WriteMapHeader(identity.Handle is null ? 3 : 4);
        writer.WriteText("did"u8);
        writer.WriteText(identity.Did);
        writer.WriteText("seq"u8);
        writer.WriteInt64(identity.Seq);
        writer.WriteText("time"u8);
        writer.WriteText(identity.Time);
        if (identity.Handle is not null)
        {
            writer.WriteText("handle"u8);
            writer.WriteText(identity.Handle);
        }
    }

    private static void WriteAccount(DagCborWriter writer, AccountEvent account)
    {
        writer.WriteMapHeader(account.Status is null ? 4 : 5);
        writer.WriteText("did"u8);
        writer.WriteText(account.Did);
        writer.WriteText("seq"u8);
        writer.WriteInt64(account.Seq);
        writer.WriteText("time"u8);
        writer.WriteText(account.Time);
        writer.WriteText("active"u8);
        writer.WriteBoolean(account.Active);
        if (account.Status is not null)
        {
            writer.WriteText("status"u8);
            writer.WriteText(account.Status);
        }
    }

    private static void WriteInfo(DagCborWriter writer, InfoEvent info)
    {
        writer.WriteMapHeader(info.Message is null ? 1 : 2);
        writer.WriteText("name"u8);
        writer.WriteText(info.Name);
        if (info.Message is not null)
        {
            writer.WriteText("message"u8);
            writer.WriteText(info.Message);
        }
    }

    private static void WriteError(DagCborWriter writer, ErrorEvent error)
    {
        writer.WriteMapHeader(error.Message is null ? 1 : 2);
        writer.WriteText("error"u8);
        writer.WriteText(error.Error);
        if (error.Message is not null)
        {
            writer.WriteText("message"u8);
            writer.WriteText(error.Message);
        }
    }
}

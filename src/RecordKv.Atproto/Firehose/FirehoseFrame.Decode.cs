using RecordKv.Atproto.Cbor;
using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Firehose;

public static partial class FirehoseFrame
{
    // Blobs are deprecated and producers send none; a cap still bounds what a hostile frame can make us allocate.
    private const int MaxBlobs = 10_000;

    /// <summary>Decodes one binary frame; <c>blocks</c> and unknown bodies stay slices of <paramref name="frame"/>.</summary>
    /// <exception cref="FirehoseFormatException">The frame is malformed, lacks a required field or exceeds a limit.</exception>
    public static FirehoseEvent Decode(ReadOnlyMemory<byte> frame, FirehoseLimits? limits = null)
    {
        limits ??= FirehoseLimits.Default;
        if (frame.Length > limits.MaxFrameBytes)
        {
            ThrowFormat($"Frame of {frame.Length} bytes exceeds the limit of {limits.MaxFrameBytes} bytes.");
        }

        long op = 0;
        string? type = null;
        int bodyStart;
        try
        {
            var header = new DagCborReader(frame.Span);
            ReadHeader(ref header, out op, out type);
            bodyStart = header.BytesConsumed;
        }
        catch (CborFormatException exception)
        {
            throw Wrap(exception, "header");
        }

        if (bodyStart >= frame.Length)
        {
            ThrowFormat("Frame has a header but no body.");
        }

        var body = frame[bodyStart..];
        try
        {
            var reader = new DagCborReader(body.Span);
            var result = op switch
            {
                ErrorOp => (FirehoseEvent)ReadError(ref reader),
                MessageOp => type switch
                {
                    CommitEvent.TypeName => ReadCommit(ref reader, body, limits),
                    SyncEvent.TypeName => ReadSync(ref reader, body, limits),
                    IdentityEvent.TypeName => ReadIdentity(ref reader),
                    AccountEvent.TypeName => ReadAccount(ref reader),
                    InfoEvent.TypeName => ReadInfo(ref reader),
                    _ => SkipUnknown(ref reader, op, type, body),
                },
                _ => SkipUnknown(ref reader, op, type, body),
            };
            if (!reader.IsAtEnd)
            {
                ThrowFormat($"Frame has {body.Length - reader.BytesConsumed} bytes after the body.");
            }

            return result;
        }
        catch (CborFormatException exception)
        {
            throw Wrap(exception, $"body (type {type ?? "none"}, op {op})");
        }
    }

    private static void ReadHeader(ref DagCborReader reader, out long op, out string? type)
    {
        if (reader.PeekType() != CborValueType.Map)
        {
            ThrowFormat("Frame header is not a map.");
        }

        var count = reader.ReadMapHeader();
        var hasOp = false;
        op = 0;
        type = null;
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadTextUtf8();
            if (key.SequenceEqual("op"u8))
            {
                op = reader.ReadInt64();
                hasOp = true;
            }
            else if (key.SequenceEqual("t"u8))
            {
                type = reader.ReadText();
            }
            else
            {
                reader.SkipValue();
            }
        }

        if (!hasOp)
        {
            ThrowFormat("Frame header lacks 'op'.");
        }

        if (op == MessageOp && type is null)
        {
            ThrowFormat("Frame header with op 1 lacks 't'.");
        }
    }

    private static int ReadBodyMapHeader(ref DagCborReader reader, string type)
    {
        if (reader.PeekType() != CborValueType.Map)
        {
            ThrowFormat($"{type} body is not a map.");
        }

        return reader.ReadMapHeader();
    }

    private static ReadOnlyMemory<byte> ReadBlocks(ref DagCborReader reader, ReadOnlyMemory<byte> body, int maxBytes, string type)
    {
        var bytes = reader.ReadBytes();
        if (bytes.Length > maxBytes)
        {
            ThrowFormat($"{type} blocks of {bytes.Length} bytes exceed the limit of {maxBytes} bytes.");
        }

        // The span ends where the reader now stands, so the slice of the frame is found without copying.
        var end = reader.BytesConsumed;
        return body.Slice(end - bytes.Length, bytes.Length);
    }

    private static Cid? ReadNullableCid(ref DagCborReader reader) => reader.TryReadNull() ? null : reader.ReadCid();

    private static string? ReadNullableText(ref DagCborReader reader) => reader.TryReadNull() ? null : reader.ReadText();

    private static CommitEvent ReadCommit(ref DagCborReader reader, ReadOnlyMemory<byte> body, FirehoseLimits limits)
    {
        const string Type = CommitEvent.TypeName;
        var count = ReadBodyMapHeader(ref reader, Type);
        long? seq = null;
        bool? rebase = null, tooBig = null;
        string? repo = null, rev = null, since = null, time = null;
        var hasSince = false;
        Cid? commit = null, prevData = null;
        ReadOnlyMemory<byte>? blocks = null;
        RepoOperation[]? ops = null;
        Cid[]? blobs = null;
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadTextUtf8();
            if (key.SequenceEqual("ops"u8))
            {
                ops = ReadOperations(ref reader, limits.MaxOperations);
            }
            else if (key.SequenceEqual("rev"u8))
            {
                rev = reader.ReadText();
            }
            else if (key.SequenceEqual("seq"u8))
            {
                seq = reader.ReadInt64();
            }
            else if (key.SequenceEqual("repo"u8))
            {
                repo = reader.ReadText();
            }
            else if (key.SequenceEqual("time"u8))
            {
                time = reader.ReadText();
            }
            else if (key.SequenceEqual("blobs"u8))
            {
                blobs = ReadBlobs(ref reader);
            }
            else if (key.SequenceEqual("since"u8))
            {
                since = ReadNullableText(ref reader);
                hasSince = true;
            }
            else if (key.SequenceEqual("blocks"u8))
            {
                blocks = ReadBlocks(ref reader, body, limits.MaxBlocksBytes, Type);
            }
            else if (key.SequenceEqual("commit"u8))
            {
                commit = reader.ReadCid();
            }
            else if (key.SequenceEqual("rebase"u8))
            {
                rebase = reader.ReadBoolean();
            }
            else if (key.SequenceEqual("tooBig"u8))
            {
                tooBig = reader.ReadBoolean();
            }
            else if (key.SequenceEqual("prevData"u8))
            {
                prevData = ReadNullableCid(ref reader);
            }
            else
            {
                reader.SkipValue();
            }
        }

        if (seq is null) ThrowMissing(Type, "seq");
        if (repo is null) ThrowMissing(Type, "repo");
        if (commit is null) ThrowMissing(Type, "commit");
        if (rev is null) ThrowMissing(Type, "rev");
        if (!hasSince) ThrowMissing(Type, "since");
        if (blocks is null) ThrowMissing(Type, "blocks");
        if (ops is null) ThrowMissing(Type, "ops");
        if (time is null) ThrowMissing(Type, "time");

        // rebase, tooBig and blobs are deprecated: a missing one is tolerated rather than rejecting the commit.
        return new CommitEvent
        {
            Seq = seq.Value,
            Rebase = rebase ?? false,
            TooBig = tooBig ?? false,
            Repo = repo,
            Commit = commit.Value,
            Rev = rev,
            Since = since,
            Blocks = blocks.Value,
            Ops = ops,
            Blobs = blobs ?? [],
            PrevData = prevData,
            Time = time,
        };
    }

    private static RepoOperation[] ReadOperations(ref DagCborReader reader, int maxOperations)
    {
        var count = reader.ReadArrayHeader();
        if (count > maxOperations)
        {
            ThrowFormat($"#commit has {count} ops, more than the limit of {maxOperations}.");
        }

        var ops = count == 0 ? [] : new RepoOperation[count];
        for (var i = 0; i < count; i++)
        {
            ops[i] = ReadOperation(ref reader, i);
        }

        return ops;
    }

    private static RepoOperation ReadOperation(ref DagCborReader reader, int index)
    {
        if (reader.PeekType() != CborValueType.Map)
        {
            ThrowFormat($"#commit op {index} is not a map.");
        }

        var count = reader.ReadMapHeader();
        string? action = null, path = null;
        Cid? cid = null, prev = null;
        var hasCid = false;
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadTextUtf8();
            if (key.SequenceEqual("cid"u8))
            {
                cid = ReadNullableCid(ref reader);
                hasCid = true;
            }
            else if (key.SequenceEqual("path"u8))
            {
                path = reader.ReadText();
            }
            else if (key.SequenceEqual("prev"u8))
            {
                prev = ReadNullableCid(ref reader);
            }
            else if (key.SequenceEqual("action"u8))
            {
                action = reader.ReadText();
            }
            else
            {
                reader.SkipValue();
            }
        }

        if (action is null) ThrowMissing($"#commit op {index}", "action");
        if (path is null) ThrowMissing($"#commit op {index}", "path");
        if (!hasCid) ThrowMissing($"#commit op {index}", "cid");
        var repoAction = action switch
        {
            "create" => RepoAction.Create,
            "update" => RepoAction.Update,
            "delete" => RepoAction.Delete,
            _ => throw new FirehoseFormatException($"#commit op {index} has unknown action '{action}'."),
        };
        return new RepoOperation(repoAction, path, cid, prev);
    }

    private static Cid[] ReadBlobs(ref DagCborReader reader)
    {
        if (reader.TryReadNull())
        {
            return [];
        }

        var count = reader.ReadArrayHeader();
        if (count > MaxBlobs)
        {
            ThrowFormat($"#commit has {count} blobs, more than the limit of {MaxBlobs}.");
        }

        var blobs = count == 0 ? [] : new Cid[count];
        for (var i = 0; i < count; i++)
        {
            blobs[i] = reader.ReadCid();
        }

        return blobs;
    }

    private static SyncEvent ReadSync(ref DagCborReader reader, ReadOnlyMemory<byte> body, FirehoseLimits limits)
    {
        const string Type = SyncEvent.TypeName;
        var count = ReadBodyMapHeader(ref reader, Type);
        long? seq = null;
        string? did = null, rev = null, time = null;
        ReadOnlyMemory<byte>? blocks = null;
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadTextUtf8();
            if (key.SequenceEqual("did"u8))
            {
                did = reader.ReadText();
            }
            else if (key.SequenceEqual("rev"u8))
            {
                rev = reader.ReadText();
            }
            else if (key.SequenceEqual("seq"u8))
            {
                seq = reader.ReadInt64();
            }
            else if (key.SequenceEqual("time"u8))
            {
                time = reader.ReadText();
            }
            else if (key.SequenceEqual("blocks"u8))
            {
                blocks = ReadBlocks(ref reader, body, limits.MaxBlocksBytes, Type);
            }
            else
            {
                reader.SkipValue();
            }
        }

        if (seq is null) ThrowMissing(Type, "seq");
        if (did is null) ThrowMissing(Type, "did");
        if (blocks is null) ThrowMissing(Type, "blocks");
        if (rev is null) ThrowMissing(Type, "rev");
        if (time is null) ThrowMissing(Type, "time");
        return new SyncEvent { Seq = seq.Value, Did = did, Blocks = blocks.Value, Rev = rev, Time = time };
    }

    private static IdentityEvent ReadIdentity(ref DagCborReader reader)
    {
        const string Type = IdentityEvent.TypeName;
        var count = ReadBodyMapHeader(ref reader, Type);
        long? seq = null;
        string? did = null, time = null, handle = null;
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadTextUtf8();
            if (key.SequenceEqual("did"u8))
            {
                did = reader.ReadText();
            }
            else if (key.SequenceEqual("seq"u8))
            {
                seq = reader.ReadInt64();
            }
            else if (key.SequenceEqual("time"u8))
            {
                time = reader.ReadText();
            }
            else if (key.SequenceEqual("handle"u8))
            {
                handle = ReadNullableText(ref reader);
            }
            else
            {
                reader.SkipValue();
            }
        }

        if (seq is null) ThrowMissing(Type, "seq");
        if (did is null) ThrowMissing(Type, "did");
        if (time is null) ThrowMissing(Type, "time");
        return new IdentityEvent { Seq = seq.Value, Did = did, Time = time, Handle = handle };
    }

    private static AccountEvent ReadAccount(ref DagCborReader reader)
    {
        const string Type = AccountEvent.TypeName;
        var count = ReadBodyMapHeader(ref reader, Type);
        long? seq = null;
        string? did = null, time = null, status = null;
        bool? active = null;
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadTextUtf8();
            if (key.SequenceEqual("did"u8))
            {
                did = reader.ReadText();
            }
            else if (key.SequenceEqual("seq"u8))
            {
                seq = reader.ReadInt64();
            }
            else if (key.SequenceEqual("time"u8))
            {
                time = reader.ReadText();
            }
            else if (key.SequenceEqual("active"u8))
            {
                active = reader.ReadBoolean();
            }
            else if (key.SequenceEqual("status"u8))
            {
                status = ReadNullableText(ref reader);
            }
            else
            {
                reader.SkipValue();
            }
        }

        if (seq is null) ThrowMissing(Type, "seq");
        if (did is null) ThrowMissing(Type, "did");
        if (time is null) ThrowMissing(Type, "time");
        if (active is null) ThrowMissing(Type, "active");
        return new AccountEvent { Seq = seq.Value, Did = did, Time = time, Active = active.Value, Status = status };
    }

    private static InfoEvent ReadInfo(ref DagCborReader reader)
    {
        const string Type = InfoEvent.TypeName;
        var count = ReadBodyMapHeader(ref reader, Type);
        string? name = null, message = null;
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadTextUtf8();
            if (key.SequenceEqual("name"u8))
            {
                name = reader.ReadText();
            }
            else if (key.SequenceEqual("message"u8))
            {
                message = ReadNullableText(ref reader);
            }
            else
            {
                reader.SkipValue();
            }
        }

        if (name is null) ThrowMissing(Type, "name");
        return new InfoEvent { Name = name, Message = message };
    }

    private static ErrorEvent ReadError(ref DagCborReader reader)
    {
        const string Type = "error frame";
        var count = ReadBodyMapHeader(ref reader, Type);
        string? error = null, message = null;
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadTextUtf8();
            if (key.SequenceEqual("error"u8))
            {
                error = reader.ReadText();
            }
            else if (key.SequenceEqual("message"u8))
            {
                message = ReadNullableText(ref reader);
            }
            else
            {
                reader.SkipValue();
            }
        }

        if (error is null) ThrowMissing(Type, "error");
        return new ErrorEvent { Error = error, Message = message };
    }

    private static UnknownEvent SkipUnknown(ref DagCborReader reader, long op, string? type, ReadOnlyMemory<byte> body)
    {
        // The body must still be one well-formed DAG-CBOR item: invalid encoding is a hard error even for unknown types.
        reader.SkipValue();
        return new UnknownEvent { Op = op, HeaderType = type, Body = body };
    }
}

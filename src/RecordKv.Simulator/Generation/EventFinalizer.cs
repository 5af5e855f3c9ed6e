using System.Buffers;
using RecordKv.Atproto.Blocks;
using RecordKv.Atproto.Cbor;
using RecordKv.Atproto.Cids;
using RecordKv.Atproto.Crypto;
using RecordKv.Atproto.Firehose;
using RecordKv.Atproto.Mst;
using RecordKv.Atproto.Repo;
using RecordKv.Simulator.Encoding;

namespace RecordKv.Simulator.Generation;

/// <summary>
/// Signs and encodes generated events. Events of a batch are independent of each other here (everything that
/// depends on order was decided by the generator), so <see cref="FinalizeBatch"/> runs them in parallel; the
/// bytes do not depend on the number of threads because both curves sign deterministically.
/// </summary>
internal sealed class EventFinalizer
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_frameBuffer;

    // Per thread, reused for every commit: the CAR slice is copied into the frame, so it need not outlive the event.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_carBuffer;

    [ThreadStatic]
    private static BlockMap? t_blocks;

    private readonly SimulatorOptions _options;
    private readonly SimSigner _wrongSigner;
    private readonly bool _keepsCommitEvents;

    public EventFinalizer(SimulatorOptions options, SimSigner wrongSigner)
    {
        _options = options;
        _wrongSigner = wrongSigner;

        // Only the stale-rev fault re-sends an earlier #commit; otherwise the event is not kept after encoding.
        _keepsCommitEvents = options.Faults.TryGetValue(SimulatorFault.StaleRev, out var staleRate) && staleRate > 0;
    }

    public void FinalizeBatch(List<PendingEvent> batch)
    {
        if (_options.SigningParallelism <= 1 || batch.Count < 8)
        {
            foreach (var pending in batch)
            {
                FinalizeIndependent(pending);
            }
        }
        else
        {
            // Chunks rather than single events: one event is ~50 µs of work, too little to hand out one by one.
            var chunk = Math.Max(4, batch.Count / (_options.SigningParallelism * 8));
            var chunks = (batch.Count + chunk - 1) / chunk;
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = _options.SigningParallelism }, c =>
            {
                var end = Math.Min(batch.Count, (c + 1) * chunk);
                for (var i = c * chunk; i < end; i++)
                {
                    FinalizeIndependent(batch[i]);
                }
            });
        }

        // Repeats need the frames they repeat.
        foreach (var pending in batch)
        {
            FinalizeRepeat(pending);
        }
    }

    private void FinalizeIndependent(PendingEvent pending)
    {
        switch (pending.Kind)
        {
            case PendingEventKind.Commit:
            case PendingEventKind.Sync:
                FinalizeCommit(pending);
                break;
            case PendingEventKind.Identity:
                pending.Frame = Encode(new IdentityEvent { Seq = pending.Seq, Did = pending.Account.Did, Handle = pending.Handle, Time = pending.Time });
                break;
            case PendingEventKind.Account:
                pending.Frame = Encode(new AccountEvent { Seq = pending.Seq, Did = pending.Account.Did, Active = pending.Active, Status = pending.StatusText, Time = pending.Time });
                break;
            case PendingEventKind.Unknown:
                pending.Frame = UnknownFrame(pending.Seq, pending.Account.Did, pending.Time);
                break;
            default:
                break;
        }
    }

    private static void FinalizeRepeat(PendingEvent pending)
    {
        if (pending.Kind == PendingEventKind.Duplicate)
        {
            pending.Frame = pending.Source!.Frame;
        }
        else if (pending.Kind == PendingEventKind.StaleCommit)
        {
            pending.Frame = Encode(pending.Source!.CommitEvent! with { Seq = pending.Seq, Time = pending.Time });
        }
    }

    private void FinalizeCommit(PendingEvent pending)
    {
        var did = pending.Account.Did;
        var after = pending.After!;
        var algorithm = after.Signer.Algorithm;
        Span<byte> signature = stackalloc byte[EcdsaSignature.Length];
        (pending.Fault == SimulatorFault.WrongKey ? _wrongSigner : after.Signer).Sign(pending.UnsignedCommit, signature);
        if (pending.Fault == SimulatorFault.BadSignature)
        {
            // Still 64 bytes and low-S shaped, just not a signature of this commit.
            signature[5] ^= 0x5A;
            signature[40] ^= 0xA5;
        }
        else if (pending.Fault == SimulatorFault.HighS)
        {
            EcdsaSignature.ToHighS(algorithm, signature).CopyTo(signature);
        }

        var commit = Commit.WithSignature(did, pending.Data, pending.Rev!, null, signature);
        var commitCid = commit.ComputeCid();
        pending.After = after with { CommitCid = commitCid, Commit = commit };
        if (!pending.IsEmitted)
        {
            return;
        }

        var car = t_carBuffer ??= new ArrayBufferWriter<byte>(16 * 1024);
        car.ResetWrittenCount();
        if (pending.Kind == PendingEventKind.Sync)
        {
            CommitEventFactory.WriteSlice(car, commitCid, commit, null);
            pending.Frame = Encode(new SyncEvent { Seq = pending.Seq, Did = did, Rev = pending.Rev!, Blocks = car.WrittenMemory, Time = pending.Time });
            return;
        }

        var blocks = t_blocks ??= new BlockMap(64);
        blocks.Clear();
        CollectCarBlocks(pending, blocks);
        CommitEventFactory.WriteSlice(car, commitCid, commit, blocks);
        blocks.Clear();
        var commitEvent = new CommitEvent
        {
            Seq = pending.Seq,
            Repo = did,
            Commit = commitCid,
            Rev = pending.Rev!,
            Since = pending.Since,
            Blocks = car.WrittenMemory,
            Ops = pending.Ops,
            PrevData = pending.PrevData,
            Time = pending.Time,
        };
        if (pending.Fault == SimulatorFault.TruncatedCar)
        {
            commitEvent = commitEvent with { Blocks = commitEvent.Blocks[..Math.Max(1, commitEvent.Blocks.Length * 2 / 3)] };
        }

        var frame = Encode(commitEvent);
        if (_keepsCommitEvents && pending.Fault is null)
        {
            // The CAR buffer is reused by the next event: a commit that may be re-sent keeps its own copy.
            pending.CommitEvent = commitEvent with { Blocks = commitEvent.Blocks.ToArray() };
        }

        if (pending.Fault == SimulatorFault.MalformedCbor)
        {
            // Keep the header, cut the body in half: the frame announces a commit nobody can read.
            var header = HeaderLength(frame);
            frame = frame.AsSpan(0, header + ((frame.Length - header) / 2)).ToArray();
        }

        pending.Frame = frame;
    }

    // The CAR slice after the commit block: the new records, then the covering proof of every operation.
    private void CollectCarBlocks(PendingEvent pending, BlockMap blocks)
    {
        foreach (var (cid, block) in pending.RecordBlocks)
        {
            blocks.Add(cid, block);
        }

        if (pending.Tree is { } tree)
        {
            foreach (var operation in pending.MstOperations)
            {
                MstProof.AddCoveringProof(tree, operation.Key, blocks);
            }

            if (pending.Fault == SimulatorFault.MissingProofBlock)
            {
                // Without the new root node nothing can be proven.
                blocks.Remove(pending.Data);
            }
        }

        if (pending.Fault == SimulatorFault.OversizedFrame)
        {
            var padding = new byte[_options.OversizedFrameBytes];
            blocks.Add(Cid.ForRaw(padding), padding);
        }
    }

    private static byte[] Encode(FirehoseEvent firehoseEvent)
    {
        var buffer = t_frameBuffer ??= new ArrayBufferWriter<byte>(16 * 1024);
        buffer.ResetWrittenCount();
        FirehoseFrame.Encode(firehoseEvent, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>An event type no lexicon defines (the unknown-event-type fault): consumers must skip it.</summary>
    private static byte[] UnknownFrame(long seq, string did, string time)
    {
        var body = new ArrayBufferWriter<byte>(128);
        var writer = new DagCborWriter(body);
        writer.WriteMapHeader(3);
        writer.WriteText("did"u8);
        writer.WriteText(did);
        writer.WriteText("seq"u8);
        writer.WriteInt64(seq);
        writer.WriteText("time"u8);
        writer.WriteText(time);
        return Encode(new UnknownEvent { HeaderType = "#simUnknown", Op = FirehoseFrame.MessageOp, Body = body.WrittenMemory });
    }

    private static int HeaderLength(ReadOnlySpan<byte> frame)
    {
        var reader = new DagCborReader(frame);
        reader.SkipValue();
        return reader.BytesConsumed;
    }
}

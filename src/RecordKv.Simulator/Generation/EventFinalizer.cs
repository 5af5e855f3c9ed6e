using RecordKv.Atproto.Cids;
using RecordKv.Atproto.Crypto;
using RecordKv.Simulator.Encoding;

namespace RecordKv.Simulator.Generation;

/// <summary>
/// Signs and encodes generated events. Events of a batch are independent of each other here (everything that
/// depends on order was decided by the generator), so <see cref="FinalizeBatch"/> runs them in parallel; the
/// bytes do not depend on the number of threads because both curves sign deterministically.
/// </summary>
internal sealed class EventFinalizer
{
    private readonly SimulatorOptions _options;
    private readonly SimSigner _wrongSigner;

    public EventFinalizer(SimulatorOptions options, SimSigner wrongSigner)
    {
        _options = options;
        _wrongSigner = wrongSigner;
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
            Parallel.For(0, batch.Count, new ParallelOptions { MaxDegreeOfParallelism = _options.SigningParallelism }, i => FinalizeIndependent(batch[i]));
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
                pending.Frame = FrameEncoder.Identity(pending.Seq, pending.Account.Did, pending.Handle, pending.Time);
                break;
            case PendingEventKind.Account:
                pending.Frame = FrameEncoder.Account(pending.Seq, pending.Account.Did, pending.Active, pending.StatusText, pending.Time);
                break;
            case PendingEventKind.Unknown:
                pending.Frame = FrameEncoder.Unknown(pending.Seq, pending.Account.Did, pending.Time);
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
            var source = pending.Source!;
            pending.Frame = FrameEncoder.Commit(pending.Seq, source.Account.Did, source.Rev!, source.Since, source.CommitCid, source.Car, source.Ops, source.PrevData, pending.Time);
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

        var commitBlock = CommitEncoder.EncodeSigned(did, pending.Rev!, pending.Data, signature);
        var commitCid = Cid.ForDagCbor(commitBlock);
        pending.CommitCid = commitCid;
        pending.After = after with { CommitCid = commitCid, CommitBlock = commitBlock };

        var car = new CarEncoder(commitCid, commitBlock.Length + 1024);
        car.Add(commitCid, commitBlock);
        foreach (var (cid, block) in pending.RecordBlocks)
        {
            car.Add(cid, block.Span);
        }

        if (pending.Proof is { } proof)
        {
            foreach (var (cid, block) in proof)
            {
                // The missing-proof-block fault drops the new root node: nothing can be proven without it.
                if (pending.Fault == SimulatorFault.MissingProofBlock && cid == pending.Data)
                {
                    continue;
                }

                car.Add(cid, block.Span);
            }
        }

        if (pending.Fault == SimulatorFault.OversizedFrame)
        {
            var padding = new byte[_options.OversizedFrameBytes];
            car.Add(Cid.ForRaw(padding), padding);
        }

        var carBytes = car.ToArray();
        if (pending.Fault == SimulatorFault.TruncatedCar)
        {
            carBytes = carBytes.AsSpan(0, Math.Max(1, carBytes.Length * 2 / 3)).ToArray();
        }

        if (!pending.IsEmitted)
        {
            return;
        }

        if (pending.Kind == PendingEventKind.Sync)
        {
            pending.Car = carBytes;
            pending.Frame = FrameEncoder.Sync(pending.Seq, did, pending.Rev!, carBytes, pending.Time);
            return;
        }

        pending.Car = carBytes;
        var frame = FrameEncoder.Commit(pending.Seq, did, pending.Rev!, pending.Since, commitCid, carBytes, pending.Ops, pending.PrevData, pending.Time);
        if (pending.Fault == SimulatorFault.MalformedCbor)
        {
            // Keep the header, cut the body in half: the frame announces a commit nobody can read.
            var header = FrameEncoder.HeaderLength(frame);
            frame = frame.AsSpan(0, header + ((frame.Length - header) / 2)).ToArray();
        }

        pending.Frame = frame;
    }
}

namespace RecordKv.Builder;

/// <summary>A backfill job's hold on one DID in the <see cref="BackfillDidGate"/>; disposing it lets the DID's live events run.</summary>
internal sealed class BackfillDidLease : IDisposable
{
    private readonly BackfillDidGate _gate;
    private readonly string _did;
    private readonly TaskCompletionSource _holder;

    public BackfillDidLease(BackfillDidGate gate, string did, TaskCompletionSource holder)
    {
        _gate = gate;
        _did = did;
        _holder = holder;
    }

    public void Dispose() => _gate.Release(_did, _holder);
}

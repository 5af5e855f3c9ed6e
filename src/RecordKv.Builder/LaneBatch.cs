using RecordKv.Nats.JetStream;

namespace RecordKv.Builder;

/// <summary>What one lane holds between flushes: the pending commits, the processed messages to ack, and the gate entries.</summary>
internal sealed class LaneBatch
{
    public LaneBatch(PendingCommits pending) => Pending = pending;

    /// <summary>Applied commits whose record writes are published and whose states wait for the flush.</summary>
    public PendingCommits Pending { get; }

    /// <summary>Processed messages (and their stream sequences), acked after the flush.</summary>
    public List<(NatsJsMsg Message, ulong StreamSequence)> Done { get; } = [];

    /// <summary>DIDs this lane entered the backfill gate for, left after the flush.</summary>
    public List<string> Live { get; } = [];

    /// <summary>Leaves the gate for every DID entered.</summary>
    public void ExitLive(BackfillDidGate gate)
    {
        foreach (var did in Live)
        {
            gate.ExitLive(did);
        }

        Live.Clear();
    }
}

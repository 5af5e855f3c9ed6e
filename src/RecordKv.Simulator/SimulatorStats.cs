using System.Text.Json;

namespace RecordKv.Simulator;

/// <summary>Counters of what the simulator emitted and injected, served as <c>/_sim/stats</c>.</summary>
internal sealed class SimulatorStats
{
    private readonly long[] _faults = new long[Enum.GetValues<SimulatorFault>().Length];

    public long Commits;
    public long Syncs;
    public long Identities;
    public long AccountEvents;
    public long UnknownFrames;
    public long DuplicateFrames;
    public long StaleCommits;
    public long SkippedCommits;
    public long Frames;
    public long FrameBytes;
    public long Creates;
    public long Updates;
    public long Deletes;
    public long Signatures;
    public long Subscribers;
    public long SubscribersTotal;
    public long SlowConsumerDisconnects;
    public long GetRepoRequests;
    public long LastSeq;

    public long FaultCount(SimulatorFault fault) => Interlocked.Read(ref _faults[(int)fault]);

    public void CountFault(SimulatorFault fault) => Interlocked.Increment(ref _faults[(int)fault]);

    public void Write(Utf8JsonWriter writer, TimeSpan elapsed, bool generationComplete)
    {
        writer.WriteStartObject();
        writer.WriteNumber("lastSeq", Interlocked.Read(ref LastSeq));
        writer.WriteNumber("frames", Interlocked.Read(ref Frames));
        writer.WriteNumber("frameBytes", Interlocked.Read(ref FrameBytes));
        writer.WriteStartObject("byType");
        writer.WriteNumber("#commit", Interlocked.Read(ref Commits));
        writer.WriteNumber("#sync", Interlocked.Read(ref Syncs));
        writer.WriteNumber("#identity", Interlocked.Read(ref Identities));
        writer.WriteNumber("#account", Interlocked.Read(ref AccountEvents));
        writer.WriteNumber("unknown", Interlocked.Read(ref UnknownFrames));
        writer.WriteNumber("duplicate", Interlocked.Read(ref DuplicateFrames));
        writer.WriteNumber("staleCommit", Interlocked.Read(ref StaleCommits));
        writer.WriteNumber("skippedCommit", Interlocked.Read(ref SkippedCommits));
        writer.WriteEndObject();
        writer.WriteStartObject("ops");
        writer.WriteNumber("create", Interlocked.Read(ref Creates));
        writer.WriteNumber("update", Interlocked.Read(ref Updates));
        writer.WriteNumber("delete", Interlocked.Read(ref Deletes));
        writer.WriteEndObject();
        writer.WriteStartObject("faults");
        foreach (var (fault, name) in SimulatorFaultNames.All)
        {
            writer.WriteNumber(name, FaultCount(fault));
        }

        writer.WriteEndObject();
        writer.WriteNumber("signatures", Interlocked.Read(ref Signatures));
        writer.WriteNumber("subscribers", Interlocked.Read(ref Subscribers));
        writer.WriteNumber("subscribersTotal", Interlocked.Read(ref SubscribersTotal));
        writer.WriteNumber("slowConsumerDisconnects", Interlocked.Read(ref SlowConsumerDisconnects));
        writer.WriteNumber("getRepoRequests", Interlocked.Read(ref GetRepoRequests));
        writer.WriteNumber("elapsedSeconds", Math.Round(elapsed.TotalSeconds, 3));
        writer.WriteBoolean("generationComplete", generationComplete);
        writer.WriteEndObject();
    }
}

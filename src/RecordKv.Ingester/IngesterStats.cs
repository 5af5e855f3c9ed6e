namespace RecordKv.Ingester;

/// <summary>Counters of one ingester process (read by tests, the benchmark and the periodic log line).</summary>
public sealed class IngesterStats
{
    internal long FramesRead;
    internal long FramesPublished;
    internal long FramesAcked;
    internal long Duplicates;
    internal long Republished;
    internal long Unroutable;
    internal long Oversized;
    internal long InfoFrames;
    internal long ErrorFrames;
    internal long Connections;
    internal long Pauses;
    internal long Cursor;
    internal long MaxBacklog;
    internal int Paused;
    internal int Leader;

    /// <summary>Frames read from the relay.</summary>
    public long Read => Interlocked.Read(ref FramesRead);

    /// <summary>Frames handed to JetStream (first attempts).</summary>
    public long Published => Interlocked.Read(ref FramesPublished);

    /// <summary>Frames acknowledged by JetStream (duplicates included).</summary>
    public long Acked => Interlocked.Read(ref FramesAcked);

    /// <summary>Acks that JetStream marked duplicate (absorbed by Nats-Msg-Id).</summary>
    public long DuplicateAcks => Interlocked.Read(ref Duplicates);

    /// <summary>Publishes retried after an error or ack timeout.</summary>
    public long Retries => Interlocked.Read(ref Republished);

    /// <summary>Frames not published: unknown types, or without seq or DID.</summary>
    public long UnroutableFrames => Interlocked.Read(ref Unroutable);

    /// <summary>Frames above the size cap, dropped.</summary>
    public long OversizedFrames => Interlocked.Read(ref Oversized);

    /// <summary><c>#info</c> frames seen.</summary>
    public long Infos => Interlocked.Read(ref InfoFrames);

    /// <summary>Error frames seen.</summary>
    public long Errors => Interlocked.Read(ref ErrorFrames);

    /// <summary>WebSocket connections opened to the relay (1 + reconnects).</summary>
    public long RelayConnections => Interlocked.Read(ref Connections);

    /// <summary>Times reading paused for backpressure.</summary>
    public long BackpressurePauses => Interlocked.Read(ref Pauses);

    /// <summary>Whether reading is paused for backpressure now.</summary>
    public bool IsPaused => Volatile.Read(ref Paused) != 0;

    /// <summary>Whether this instance holds the lease now.</summary>
    public bool IsLeader => Volatile.Read(ref Leader) != 0;

    /// <summary>The gap-free cursor now.</summary>
    public long GapFreeCursor => Interlocked.Read(ref Cursor);

    /// <summary>The largest builder-consumer backlog seen.</summary>
    public long LargestBacklog => Interlocked.Read(ref MaxBacklog);
}

namespace RecordKv.Ingester;

/// <summary>
/// The highest firehose seq below which every published frame is acknowledged. Frames begin in seq order and may be
/// acknowledged in any order (a failed publish is retried while later ones succeed); the cursor never passes a frame
/// still in flight, so resuming from it loses nothing.
/// </summary>
/// <remarks>Not thread-safe: the ingester calls it under one lock. Memory is bounded by the frames in flight.</remarks>
internal sealed class GapFreeCursor
{
    private readonly Queue<long> _inFlight = new();
    private readonly HashSet<long> _acked = [];
    private long _lastBegun;

    /// <summary>Starts from a saved cursor (0 when none): frames at or below it count as done.</summary>
    public GapFreeCursor(long start = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        Value = start;
        _lastBegun = start;
    }

    /// <summary>The gap-free cursor: every frame with a seq at or below it is acknowledged.</summary>
    public long Value { get; private set; }

    /// <summary>The highest seq begun (read from the relay and handed to the publisher).</summary>
    public long LastBegun => _lastBegun;

    /// <summary>How many begun frames are not acknowledged yet.</summary>
    public int InFlight => _inFlight.Count;

    /// <summary>Records a frame about to be published; false (and nothing tracked) when its seq is not above every earlier one.</summary>
    public bool Begin(long seq)
    {
        if (seq <= _lastBegun)
        {
            return false;
        }

        _lastBegun = seq;
        _inFlight.Enqueue(seq);
        return true;
    }

    /// <summary>Records a frame's acknowledgement and advances the cursor over every leading acknowledged frame; returns whether it moved.</summary>
    public bool Complete(long seq)
    {
        if (seq <= Value || seq > _lastBegun || !_acked.Add(seq))
        {
            return false;
        }

        var moved = false;
        while (_inFlight.TryPeek(out var head) && _acked.Remove(head))
        {
            _inFlight.Dequeue();
            Value = head;
            moved = true;
        }

        return moved;
    }
}

namespace RecordKv.Builder;

/// <summary>
/// The last <c>capacity</c> stream sequences a partition worker processed and acked, so that a redelivery of one of
/// them (its ack was late or lost) is acked again instead of being processed twice. Only an exact match counts: a
/// message whose first delivery never reached a lane is processed when it comes again.
/// </summary>
internal sealed class RecentSequences
{
    private readonly Lock _sync = new();
    private readonly HashSet<ulong> _set;
    private readonly ulong[] _ring;
    private int _next;
    private int _count;

    public RecentSequences(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new ulong[capacity];
        _set = new HashSet<ulong>(capacity);
    }

    /// <summary>Remembers a processed sequence, forgetting the oldest when full.</summary>
    public void Add(ulong sequence)
    {
        lock (_sync)
        {
            if (!_set.Add(sequence))
            {
                return;
            }

            if (_count == _ring.Length)
            {
                _set.Remove(_ring[_next]);
            }
            else
            {
                _count++;
            }

            _ring[_next] = sequence;
            _next = (_next + 1) % _ring.Length;
        }
    }

    /// <summary>Whether a sequence was processed recently.</summary>
    public bool Contains(ulong sequence)
    {
        lock (_sync)
        {
            return _set.Contains(sequence);
        }
    }
}

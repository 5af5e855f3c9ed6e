namespace RecordKv.Simulator.Firehose;

/// <summary>
/// The retained frames, in emission order, for cursor replay and live tailing: a ring capped by frame count and by
/// bytes. Subscribers read it by absolute position, so there is one copy of each frame however many subscribers
/// there are, and a subscriber that falls out of the window is cut off instead of growing a private queue. With a
/// <see cref="DiskFrameStore"/> every frame is also kept on disk, and positions older than the ring are read from there.
/// </summary>
internal sealed class FrameLog : IDisposable
{
    private readonly object _lock = new();
    private readonly long[] _seqs;
    private readonly byte[][] _frames;
    private readonly long _maxBytes;
    private readonly DiskFrameStore? _disk;
    private long _start;
    private long _end;
    private long _bytes;
    private TaskCompletionSource _appended = NewSignal();

    public FrameLog(int maxFrames, long maxBytes, DiskFrameStore? disk = null)
    {
        _disk = disk;
        _seqs = new long[Math.Max(1, maxFrames)];
        _frames = new byte[Math.Max(1, maxFrames)][];
        _maxBytes = Math.Max(1, maxBytes);
    }

    /// <summary>The absolute position the next frame gets.</summary>
    public long End
    {
        get
        {
            lock (_lock)
            {
                return _end;
            }
        }
    }

    /// <summary>The seq of the newest frame (0 when none).</summary>
    public long LatestSeq { get; private set; }

    /// <summary>The seq of the oldest retained frame (0 when none).</summary>
    public long OldestSeq
    {
        get
        {
            lock (_lock)
            {
                return _disk is { Count: > 0 } disk ? disk.SeqAt(0) : _end == _start ? 0 : _seqs[_start % _seqs.Length];
            }
        }
    }

    /// <summary>Appends frames in order under one lock, waking the waiting subscribers once for all of them.</summary>
    public void AppendRange(ReadOnlySpan<(long Seq, byte[] Frame)> frames)
    {
        if (frames.IsEmpty)
        {
            return;
        }

        TaskCompletionSource signal;
        lock (_lock)
        {
            foreach (var (seq, frame) in frames)
            {
                AppendLocked(seq, frame);
            }

            signal = _appended;
            _appended = NewSignal();
        }

        signal.TrySetResult();
    }

    private void AppendLocked(long seq, byte[] frame)
    {
        _disk?.Append(seq, frame);
        while (_end - _start >= _seqs.Length || (_end > _start && _bytes + frame.Length > _maxBytes))
        {
            var slot = _start % _seqs.Length;
            _bytes -= _frames[slot].Length;
            _frames[slot] = null!;
            _start++;
        }

        var index = _end % _seqs.Length;
        _seqs[index] = seq;
        _frames[index] = frame;
        _bytes += frame.Length;
        _end++;
        LatestSeq = Math.Max(LatestSeq, seq);
    }

    /// <summary>The position of the first retained frame with a seq above <paramref name="cursor"/>; also whether frames after the cursor were evicted.</summary>
    public (long Position, bool Outdated) PositionAfter(long cursor)
    {
        lock (_lock)
        {
            if (_disk is { Count: > 0 } disk)
            {
                // The disk holds every position from the first frame on.
                return (disk.PositionAfter(cursor), cursor + 1 < disk.SeqAt(0));
            }

            long low = _start;
            var high = _end;
            while (low < high)
            {
                var middle = low + ((high - low) / 2);
                if (_seqs[middle % _seqs.Length] <= cursor)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            var outdated = _end > _start && cursor + 1 < _seqs[_start % _seqs.Length];
            return (low, outdated);
        }
    }

    /// <summary>Copies up to <paramref name="max"/> frames from <paramref name="position"/>; false when that position is retained neither in memory nor on disk.</summary>
    public bool TryRead(long position, List<byte[]> into, int max)
    {
        long diskStart;
        long[] diskEnds;
        lock (_lock)
        {
            if (position >= _start)
            {
                for (var i = position; i < _end && into.Count < max; i++)
                {
                    into.Add(_frames[i % _frames.Length]);
                }

                return true;
            }

            if (_disk is null)
            {
                return false;
            }

            // Older than the ring: read the file outside the lock so that publication does not wait for the disk.
            var end = Math.Min(_start, position + max - into.Count);
            _disk.EnsureFlushed(end - 1);
            (diskStart, diskEnds) = _disk.Extents(position, end);
        }

        _disk.Read(diskStart, diskEnds, into);
        return true;
    }

    /// <summary>Completes when a frame is appended at or after <paramref name="position"/> (at once if one already is).</summary>
    public Task WaitAsync(long position, CancellationToken cancellationToken)
    {
        Task signal;
        lock (_lock)
        {
            if (_end > position)
            {
                return Task.CompletedTask;
            }

            signal = _appended.Task;
        }

        return signal.WaitAsync(cancellationToken);
    }

    public void Dispose() => _disk?.Dispose();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

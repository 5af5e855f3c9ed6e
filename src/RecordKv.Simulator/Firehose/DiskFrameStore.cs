using Microsoft.Win32.SafeHandles;

namespace RecordKv.Simulator.Firehose;

/// <summary>
/// Every frame of the run appended to one file (<c>frames.log</c> in the log directory), for cursor replay beyond the
/// in-memory window. The file holds the frames back to back; the index (seq and file offset per position, 16 bytes a
/// frame) stays in memory. Frames are read back with positional reads on their own handle, so replay never blocks
/// publication. Not thread-safe for writing: <see cref="FrameLog"/> calls it under its lock.
/// </summary>
internal sealed class DiskFrameStore : IDisposable
{
    /// <summary>The file name inside the log directory.</summary>
    public const string FileName = "frames.log";

    private readonly FileStream _writer;
    private readonly SafeFileHandle _reader;
    private readonly List<long> _seqs = [];
    private readonly List<long> _offsets = [];
    private long _written;
    private long _flushed;

    public DiskFrameStore(string directory)
    {
        Directory.CreateDirectory(directory);
        Path = System.IO.Path.Combine(directory, FileName);

        // A run starts its stream at seq 1: frames of an earlier run in the same directory are replaced.
        _writer = new FileStream(Path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1 << 20);
        _reader = File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
    }

    public string Path { get; }

    /// <summary>Frames stored (positions 0 … Count-1).</summary>
    public long Count => _seqs.Count;

    public long SeqAt(long position) => _seqs[(int)position];

    public void Append(long seq, byte[] frame)
    {
        _seqs.Add(seq);
        _offsets.Add(_written);
        _writer.Write(frame);
        _written += frame.Length;
    }

    /// <summary>Makes every frame appended so far readable.</summary>
    public void EnsureFlushed(long position)
    {
        if (position < _seqs.Count && _offsets[(int)position] >= _flushed)
        {
            _writer.Flush();
            _flushed = _written;
        }
    }

    /// <summary>The file extents of positions [start, end): offset of start, and the end offset of each frame.</summary>
    public (long Start, long[] Ends) Extents(long start, long end)
    {
        var ends = new long[end - start];
        for (var i = start; i < end; i++)
        {
            ends[i - start] = i + 1 < _offsets.Count ? _offsets[(int)(i + 1)] : _written;
        }

        return (_offsets[(int)start], ends);
    }

    /// <summary>Reads frames whose extents came from <see cref="Extents"/> (after <see cref="EnsureFlushed"/>); safe on any thread.</summary>
    public void Read(long start, long[] ends, List<byte[]> into)
    {
        var offset = start;
        foreach (var end in ends)
        {
            var frame = new byte[end - offset];
            var read = 0;
            while (read < frame.Length)
            {
                var n = RandomAccess.Read(_reader, frame.AsSpan(read), offset + read);
                if (n == 0)
                {
                    throw new IOException($"{Path} ends at {offset + read}, inside a frame that should end at {end}.");
                }

                read += n;
            }

            into.Add(frame);
            offset = end;
        }
    }

    /// <summary>The first position whose seq is above <paramref name="cursor"/>.</summary>
    public long PositionAfter(long cursor)
    {
        int low = 0, high = _seqs.Count;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (_seqs[middle] <= cursor)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    public void Dispose()
    {
        _writer.Dispose();
        _reader.Dispose();
    }
}

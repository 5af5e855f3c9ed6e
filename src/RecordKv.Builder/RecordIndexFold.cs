using System.Text;

namespace RecordKv.Builder;

/// <summary>
/// Folds the messages of one DID's record index subject, oldest first, into the paths in force
/// (<see cref="RecordIndex"/>): a snapshot replaces them once its last chunk is seen, a delta adds and removes.
/// </summary>
internal sealed class RecordIndexFold
{
    private HashSet<string> _paths = new(StringComparer.Ordinal);
    private HashSet<string>? _snapshot;
    private int _nextChunk;

    /// <summary>The paths in force after the messages applied so far.</summary>
    public IReadOnlySet<string> Paths => _paths;

    /// <summary>Applies one message: its snapshot header (<c>i/n</c>, or null for a delta) and body.</summary>
    /// <exception cref="FormatException">A line is neither <c>+path</c> nor <c>-path</c>, or the header is not <c>i/n</c>.</exception>
    public void Apply(string? snapshotHeader, ReadOnlySpan<byte> body)
    {
        if (snapshotHeader is null)
        {
            // A delta after an unfinished snapshot: that snapshot's writer died; its chunks are not in force.
            _snapshot = null;
            ApplyLines(_paths, body);
            return;
        }

        var (chunk, chunks) = ParseChunk(snapshotHeader);
        if (chunk == 1)
        {
            _snapshot = new HashSet<string>(StringComparer.Ordinal);
            _nextChunk = 1;
        }

        if (_snapshot is null || chunk != _nextChunk)
        {
            // A chunk without its beginning (an older snapshot purged halfway, or a writer that died and started over).
            _snapshot = null;
            return;
        }

        ApplyLines(_snapshot, body);
        _nextChunk++;
        if (chunk == chunks)
        {
            _paths = _snapshot;
            _snapshot = null;
        }
    }

    private static (int Chunk, int Chunks) ParseChunk(string header)
    {
        var slash = header.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0
            && int.TryParse(header.AsSpan(0, slash), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var chunk)
            && int.TryParse(header.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var chunks)
            && chunk >= 1 && chunk <= chunks)
        {
            return (chunk, chunks);
        }

        throw new FormatException($"record index: snapshot chunk header '{header}' is not i/n");
    }

    private static void ApplyLines(HashSet<string> paths, ReadOnlySpan<byte> body)
    {
        foreach (var range in body.Split((byte)'\n'))
        {
            var line = body[range];
            if (line.IsEmpty)
            {
                continue;
            }

            var path = Encoding.UTF8.GetString(line[1..]);
            switch (line[0])
            {
                case (byte)'+':
                    paths.Add(path);
                    break;
                case (byte)'-':
                    paths.Remove(path);
                    break;
                default:
                    throw new FormatException($"record index: line '{Encoding.UTF8.GetString(line)}' is neither +path nor -path");
            }
        }
    }
}

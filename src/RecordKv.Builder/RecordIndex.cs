using System.Globalization;
using System.Text;
using RecordKv.Contracts;
using RecordKv.Nats;
using RecordKv.Nats.JetStream;

namespace RecordKv.Builder;

/// <summary>
/// The record index: for each DID, the record paths (<c>collection/rkey</c>) the record bucket may hold of it, on one
/// literal subject of its own stream (<c>recidx.&lt;escaped DID&gt;</c>). nats-server 2.9 answers a wildcard listing of
/// the record bucket by walking every subject of it, however few match; the index is read by direct gets on one literal
/// subject, so listing a repository costs what the repository holds, not what the store holds.
/// </summary>
/// <remarks>
/// A DID's subject holds a snapshot (one or more chunks, each with the <see cref="SnapshotHeader"/> <c>i/n</c>) followed
/// by deltas: lines <c>+path</c> (may exist) and <c>-path</c> (deleted). Writers keep it a superset of what is stored:
/// a path is added before its record is written (on the same connection, so the server stores it first) and removed
/// only once the record's delete is acknowledged. A path listed but not stored costs one get that finds nothing.
/// A snapshot left unfinished by a crash is ignored: the paths before it stay in force.
/// </remarks>
internal sealed class RecordIndex
{
    /// <summary>The header of a snapshot chunk: <c>i/n</c>, chunk i (from 1) of n.</summary>
    public const string SnapshotHeader = "RecordKv-Index-Snapshot";

    private readonly NatsJetStreamContext _jetStream;
    private readonly string _stream;
    private readonly string _subjectPrefix;
    private readonly int _chunkBytes;

    public RecordIndex(NatsJetStreamContext jetStream, string stream, string subjectPrefix, int chunkBytes = 256 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkBytes, 1024);
        _jetStream = jetStream;
        _stream = stream;
        _subjectPrefix = subjectPrefix + ".";
        _chunkBytes = chunkBytes;
    }

    /// <summary>The index subject of a DID.</summary>
    public string SubjectFor(string did) => _subjectPrefix + KeyTokenEscaping.Escape(did);

    /// <summary>A record path as the index writes it: <c>collection/rkey</c> (neither may contain a slash).</summary>
    public static string PathOf(string collection, string recordKey) => collection + "/" + recordKey;

    /// <summary>Reads a DID's subject from the start and folds it: the paths the store may hold of the DID.</summary>
    public async Task<IReadOnlySet<string>> ReadAsync(string did, CancellationToken cancellationToken)
    {
        var subject = SubjectFor(did);
        var fold = new RecordIndexFold();
        var next = 1UL;
        while (true)
        {
            NatsStoredMessage message;
            try
            {
                message = await _jetStream.DirectGetAsync(_stream, new StreamMsgGetRequest { Seq = next, NextBySubj = subject }, cancellationToken).ConfigureAwait(false);
            }
            catch (NatsJetStreamNotFoundException)
            {
                return fold.Paths;
            }

            fold.Apply(message.Headers?.GetLastValue(SnapshotHeader), message.Data.Span);
            next = message.Sequence + 1;
        }
    }

    /// <summary>
    /// Encodes a delta as messages of at most the chunk size: the <paramref name="removed"/> paths (<c>-path</c>) first,
    /// then the <paramref name="added"/> ones (<c>+path</c>), so a path in both ends up listed.
    /// </summary>
    public IReadOnlyList<byte[]> EncodeDelta(IEnumerable<string> removed, IEnumerable<string> added) =>
        Encode(Lines('-', removed).Concat(Lines('+', added)), emptyChunk: false);

    /// <summary>
    /// Replaces a DID's subject with a snapshot of <paramref name="paths"/>: its chunks are written (acknowledged), then
    /// everything before them is purged.
    /// </summary>
    public async Task WriteSnapshotAsync(string did, IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        var subject = SubjectFor(did);
        var chunks = Encode(Lines('+', paths), emptyChunk: true);
        ulong first = 0;
        for (var i = 0; i < chunks.Count; i++)
        {
            var headers = new NatsHeaders().Add(SnapshotHeader, string.Create(CultureInfo.InvariantCulture, $"{i + 1}/{chunks.Count}"));
            var ack = await _jetStream.PublishAsync(subject, chunks[i], headers, new NatsJetStreamPublishOptions { ExpectedStream = _stream }, cancellationToken).ConfigureAwait(false);
            if (i == 0)
            {
                first = ack.Sequence;
            }
        }

        // Nothing precedes the stream's first message; and nats-server 2.9 reads a purge up to sequence 1 as "purge all".
        if (first > 1)
        {
            await _jetStream.PurgeStreamAsync(_stream, new StreamPurgeRequest { Filter = subject, Seq = first }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Publishes a delta and waits for its acknowledgement (where no asynchronous writer is in use).</summary>
    public async Task PublishAsync(string did, byte[] delta, CancellationToken cancellationToken) =>
        await _jetStream.PublishAsync(SubjectFor(did), delta, options: new NatsJetStreamPublishOptions { ExpectedStream = _stream }, cancellationToken: cancellationToken).ConfigureAwait(false);

    private static IEnumerable<(char Operation, string Path)> Lines(char operation, IEnumerable<string> paths) =>
        paths.Select(path => (operation, path));

    private List<byte[]> Encode(IEnumerable<(char Operation, string Path)> lines, bool emptyChunk)
    {
        var chunks = new List<byte[]>();
        var chunk = new StringBuilder();
        foreach (var (operation, path) in lines)
        {
            if (chunk.Length > 0 && chunk.Length + path.Length + 2 > _chunkBytes)
            {
                chunks.Add(Encoding.UTF8.GetBytes(chunk.ToString()));
                chunk.Clear();
            }

            chunk.Append(operation).Append(path).Append('\n');
        }

        if (chunk.Length > 0 || (emptyChunk && chunks.Count == 0))
        {
            chunks.Add(Encoding.UTF8.GetBytes(chunk.ToString()));
        }

        return chunks;
    }
}

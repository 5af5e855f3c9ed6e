using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using RecordKv.Atproto.Cbor;
using RecordKv.Atproto.Cids;
using RecordKv.Contracts;
using RecordKv.Nats;
using RecordKv.Nats.JetStream;
using RecordKv.Nats.KeyValue;

namespace RecordKv.Builder;

/// <summary>
/// Writes records into the record bucket through one asynchronous JetStream publisher (bounded in flight) shared by
/// every lane: a lane publishes all writes of a commit at once and waits only for their acknowledgements together,
/// instead of one round trip per write.
/// </summary>
internal sealed class RecordWriter : IAsyncDisposable
{
    [ThreadStatic]
    private static JsonScratch? t_scratch;

    private static readonly NatsHeaders DeleteHeaders = new NatsHeaders().Add(NatsKvStore.OperationHeader, "DEL");

    private readonly NatsJetStreamPublisher _publisher;
    private readonly NatsKvStore _records;
    private readonly Lock _sync = new();
    private readonly Dictionary<long, RecordWriteBatch> _pending = [];
    private readonly Dictionary<long, NatsJetStreamException?> _early = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;

    private RecordWriter(NatsJetStreamPublisher publisher, NatsKvStore records)
    {
        _publisher = publisher;
        _records = records;
        _reader = Task.Run(ReadResultsAsync);
    }

    /// <summary>Starts the publisher.</summary>
    public static async Task<RecordWriter> StartAsync(NatsJetStreamContext jetStream, NatsKvStore records, int maxInFlight, TimeSpan ackTimeout, CancellationToken cancellationToken)
    {
        var publisher = await jetStream.CreatePublisherAsync(new NatsJetStreamPublisherOptions { MaxInFlight = maxInFlight, AckTimeout = ackTimeout }, cancellationToken).ConfigureAwait(false);
        return new RecordWriter(publisher, records);
    }

    /// <summary>Publishes a record as atproto JSON with its CID and the revision in the headers.</summary>
    public async ValueTask PutAsync(RecordWriteBatch batch, string key, Cid cid, string rev, ReadOnlyMemory<byte> cbor, CancellationToken cancellationToken)
    {
        var (buffer, length) = ToJson(cbor.Span);
        try
        {
            var headers = new NatsHeaders().Add(AtprotoHeaders.Cid, cid.ToString()).Add(AtprotoHeaders.Rev, rev);
            await PublishAsync(batch, _records.SubjectFor(key), buffer.AsMemory(0, length), headers, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The connection copies the message into its outbound buffer before the publish completes.
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Publishes a KV delete of a record key.</summary>
    public ValueTask DeleteAsync(RecordWriteBatch batch, string key, CancellationToken cancellationToken) =>
        PublishAsync(batch, _records.SubjectFor(key), ReadOnlyMemory<byte>.Empty, DeleteHeaders, cancellationToken);

    /// <summary>
    /// Publishes a message to another stream (a record index delta) into a batch. Publishes leave on one connection in
    /// the order they are made, so the server stores it before the record writes published after it.
    /// </summary>
    public ValueTask PublishAsync(RecordWriteBatch batch, string subject, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        PublishAsync(batch, subject, data, null, cancellationToken);

    /// <summary>Stops matching acknowledgements.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _publisher.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _reader.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    /// <summary>Converts a DAG-CBOR record to atproto JSON in a pooled buffer (returned by the caller).</summary>
    internal static (byte[] Buffer, int Length) ToJson(ReadOnlySpan<byte> cbor)
    {
        var scratch = t_scratch ??= new JsonScratch();
        scratch.Output.ResetWrittenCount();
        scratch.Writer.Reset(scratch.Output);
        DagCborJson.WriteJson(cbor, scratch.Writer);
        scratch.Writer.Flush();
        var written = scratch.Output.WrittenSpan;
        var buffer = ArrayPool<byte>.Shared.Rent(written.Length);
        written.CopyTo(buffer);
        return (buffer, written.Length);
    }

    private async ValueTask PublishAsync(RecordWriteBatch batch, string subject, ReadOnlyMemory<byte> data, NatsHeaders? headers, CancellationToken cancellationToken)
    {
        batch.Adding();
        long id;
        try
        {
            id = await _publisher.PublishAsync(subject, data, headers, null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            batch.Completed(exception as NatsJetStreamException ?? new NatsJetStreamException($"publish to '{subject}' failed: {exception.Message}", innerException: exception));
            throw;
        }

        NatsJetStreamException? error;
        lock (_sync)
        {
            if (!_early.Remove(id, out error))
            {
                _pending[id] = batch;
                return;
            }
        }

        batch.Completed(error);
    }

    private async Task ReadResultsAsync()
    {
        var results = _publisher.Results;
        try
        {
            while (await results.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                while (results.TryRead(out var result))
                {
                    RecordWriteBatch? batch;
                    lock (_sync)
                    {
                        if (!_pending.Remove(result.PublishId, out batch))
                        {
                            // The ack beat the publishing lane to registering the id.
                            _early[result.PublishId] = result.Error;
                        }
                    }

                    batch?.Completed(result.Error);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (ChannelClosedException)
        {
        }
    }

    private sealed class JsonScratch
    {
        public ArrayBufferWriter<byte> Output { get; } = new(4096);

        public Utf8JsonWriter Writer { get; } = new(Stream.Null);
    }
}

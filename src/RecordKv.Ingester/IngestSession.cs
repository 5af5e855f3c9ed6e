using System.Buffers;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RecordKv.Contracts;
using RecordKv.Coordination;
using RecordKv.Nats;
using RecordKv.Nats.JetStream;

namespace RecordKv.Ingester;

/// <summary>
/// One term of leadership: reads the relay, publishes each frame through the asynchronous publisher, tracks the
/// gap-free cursor and saves it, pauses for backpressure. Ends (stopping to read at once) when its token is cancelled.
/// </summary>
internal sealed partial class IngestSession
{
    private const string MsgIdHeader = "Nats-Msg-Id";
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly RecordKvStore _store;
    private readonly IngesterOptions _options;
    private readonly IngesterStats _stats;
    private readonly ILogger _logger;
    private readonly FrameRouter _router;
    private readonly string[] _subjects;
    private readonly string _source;
    private readonly string _cursorKey;
    private readonly long? _startCursor;
    private readonly Lock _sync = new();
    private readonly GapFreeCursor _cursor;
    private readonly Dictionary<long, InFlightFrame> _pending = [];
    private readonly Dictionary<long, NatsJetStreamPublishResult> _early = [];
    private readonly SemaphoreSlim _outstanding;
    private readonly Channel<InFlightFrame> _retries;
    private readonly AsyncGate _gate = new();
    private NatsJetStreamPublisher? _publisher;
    private long _savedCursor;

    public IngestSession(RecordKvStore store, IngesterOptions options, IngesterStats stats, ILogger logger, long? startCursor)
    {
        _store = store;
        _options = options;
        _stats = stats;
        _logger = logger;
        _router = new FrameRouter(store.Partitioner);
        _subjects = new string[store.PartitionCount];
        for (var p = 0; p < _subjects.Length; p++)
        {
            _subjects[p] = store.Names.FirehoseSubject(p);
        }

        _source = options.SourceName();
        _cursorKey = ControlKeys.IngestCursor(_source);
        _startCursor = startCursor;
        _cursor = new GapFreeCursor(startCursor ?? 0);
        _savedCursor = startCursor ?? 0;
        Interlocked.Exchange(ref _stats.Cursor, _cursor.Value);
        _outstanding = new SemaphoreSlim(options.MaxInFlight, options.MaxInFlight);
        // Only frames holding an outstanding slot can fail, so the retry queue never needs more room than that.
        _retries = Channel.CreateBounded<InFlightFrame>(new BoundedChannelOptions(options.MaxInFlight) { SingleReader = true });
    }

    /// <summary>The gap-free cursor now.</summary>
    public long Cursor
    {
        get
        {
            lock (_sync)
            {
                return _cursor.Value;
            }
        }
    }

    /// <summary>Reads a saved cursor (null when none).</summary>
    public static async Task<long?> LoadCursorAsync(RecordKvStore store, string source, CancellationToken cancellationToken)
    {
        var entry = await store.Control.GetAsync(ControlKeys.IngestCursor(source), cancellationToken).ConfigureAwait(false);
        return entry is not null && long.TryParse(entry.Value.Span, NumberStyles.None, CultureInfo.InvariantCulture, out var seq) ? seq : null;
    }

    /// <summary>Runs until <paramref name="leadership"/> is cancelled, then waits (bounded) for in-flight acks.</summary>
    public async Task RunAsync(CancellationToken leadership)
    {
        _publisher = await _store.JetStream.CreatePublisherAsync(
            new NatsJetStreamPublisherOptions { MaxInFlight = _options.MaxInFlight, AckTimeout = _options.AckTimeout },
            leadership).ConfigureAwait(false);
        using var background = new CancellationTokenSource();
        var acks = Task.Run(() => ReadAcksAsync(background.Token), CancellationToken.None);
        var retries = Task.Run(() => RetryAsync(background.Token), CancellationToken.None);
        var saver = Task.Run(() => SaveCursorLoopAsync(leadership), CancellationToken.None);
        var backpressure = Task.Run(() => WatchBacklogAsync(leadership), CancellationToken.None);
        try
        {
            await ReadRelayAsync(leadership).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (leadership.IsCancellationRequested)
        {
        }
        finally
        {
            await DrainAsync().ConfigureAwait(false);
            await background.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(acks, retries, saver, backpressure).ConfigureAwait(false);
            await _publisher.DisposeAsync().ConfigureAwait(false);
            ReturnBuffers();
            Interlocked.Exchange(ref _stats.Paused, 0);
            int inFlight;
            lock (_sync)
            {
                inFlight = _cursor.InFlight;
            }

            Log.StoppedLeading(_logger, Cursor, inFlight);
        }
    }

    /// <summary>Saves the gap-free cursor if it moved since the last save.</summary>
    public async Task SaveCursorAsync(CancellationToken cancellationToken)
    {
        var cursor = Cursor;
        if (cursor <= Interlocked.Read(ref _savedCursor))
        {
            return;
        }

        var text = cursor.ToString(CultureInfo.InvariantCulture);
        await _store.Control.PutAsync(_cursorKey, System.Text.Encoding.ASCII.GetBytes(text), cancellationToken: cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _savedCursor, cursor);
    }

    private async Task PublishNewAsync(FrameRoute route, ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        await _outstanding.WaitAsync(cancellationToken).ConfigureAwait(false);
        bool tracked;
        lock (_sync)
        {
            tracked = _cursor.Begin(route.Seq);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(frame.Length);
        frame.Span.CopyTo(buffer);
        var seqText = route.Seq.ToString(CultureInfo.InvariantCulture);
        var headers = new NatsHeaders()
            .Add(MsgIdHeader, _source + ":" + seqText)
            .Add(AtprotoHeaders.Seq, seqText)
            .Add(AtprotoHeaders.Did, route.Did!)
            .Add(AtprotoHeaders.Event, route.EventName!);
        var inFlight = new InFlightFrame(buffer, frame.Length, route.Seq, _subjects[route.Partition], headers, tracked);
        try
        {
            await PublishAsync(inFlight, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _stats.FramesPublished);
        }
        catch (OperationCanceledException)
        {
            // Never handed over: it stays below the cursor's reach (not acked), and the next leader reads it again.
            ArrayPool<byte>.Shared.Return(buffer);
            _outstanding.Release();
            throw;
        }
    }

    private async Task PublishAsync(InFlightFrame frame, CancellationToken cancellationToken)
    {
        var id = await _publisher!.PublishAsync(frame.Subject, frame.Data, frame.Headers, null, cancellationToken).ConfigureAwait(false);
        bool early;
        NatsJetStreamPublishResult result;
        lock (_sync)
        {
            early = _early.Remove(id, out result);
            if (!early)
            {
                _pending[id] = frame;
            }
        }

        if (early)
        {
            Settle(frame, result);
        }
    }

    private async Task ReadAcksAsync(CancellationToken cancellationToken)
    {
        var results = _publisher!.Results;
        try
        {
            while (await results.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (results.TryRead(out var result))
                {
                    bool found;
                    InFlightFrame frame;
                    lock (_sync)
                    {
                        found = _pending.Remove(result.PublishId, out frame);
                        if (!found)
                        {
                            // The ack beat the publisher's caller to registering the id.
                            _early[result.PublishId] = result;
                        }
                    }

                    if (found)
                    {
                        Settle(frame, result);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Settle(InFlightFrame frame, NatsJetStreamPublishResult result)
    {
        if (!result.IsSuccess)
        {
            Interlocked.Increment(ref _stats.Republished);
            _retries.Writer.TryWrite(frame);
            return;
        }

        Interlocked.Increment(ref _stats.FramesAcked);
        if (result.Ack.Duplicate)
        {
            Interlocked.Increment(ref _stats.Duplicates);
        }

        if (frame.Tracked)
        {
            lock (_sync)
            {
                if (_cursor.Complete(frame.Seq))
                {
                    Interlocked.Exchange(ref _stats.Cursor, _cursor.Value);
                }
            }
        }

        ArrayPool<byte>.Shared.Return(frame.Buffer);
        _outstanding.Release();
    }

    private async Task RetryAsync(CancellationToken cancellationToken)
    {
        var reader = _retries.Reader;
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                // A failed publish means NATS is unwell (no leader, disconnected): give it a moment, then resend the batch.
                await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(false);
                while (reader.TryRead(out var frame))
                {
                    await PublishAsync(frame, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task DrainAsync()
    {
        // Acks of frames already sent still arrive; waiting for them lets the final cursor cover them. Without a
        // connection none can arrive (the next leader reads those frames again), so a stop does not wait for nothing.
        using var timeout = new CancellationTokenSource(_options.AckTimeout * 2);
        try
        {
            while (_outstanding.CurrentCount < _options.MaxInFlight && _store.Connection.State == NatsConnectionState.Connected)
            {
                await Task.Delay(10, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void ReturnBuffers()
    {
        lock (_sync)
        {
            foreach (var frame in _pending.Values)
            {
                ArrayPool<byte>.Shared.Return(frame.Buffer);
            }

            _pending.Clear();
            _early.Clear();
        }

        while (_retries.Reader.TryRead(out var frame))
        {
            ArrayPool<byte>.Shared.Return(frame.Buffer);
        }
    }
}

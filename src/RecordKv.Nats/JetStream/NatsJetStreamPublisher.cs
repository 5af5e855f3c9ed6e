using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;

namespace RecordKv.Nats.JetStream;

/// <summary>
/// Publishes to JetStream without waiting for each PubAck: at most <see cref="NatsJetStreamPublisherOptions.MaxInFlight"/>
/// publishes are unacknowledged or unread, further publishes wait, and results come out of <see cref="Results"/> in publish order.
/// </summary>
/// <remarks>
/// Retry policy: the publisher never republishes by itself. A publish that gets no PubAck within the ack timeout, or a 503
/// (no stream leader, e.g. during a restart), is reported as an error result; the caller republishes it, with the same
/// <c>Nats-Msg-Id</c> so that a message that was in fact stored is not stored twice within the duplicate window.
/// Every reply goes to one wildcard inbox subscription; the last subject token is the publish id, so acks are matched
/// without a per-publish subscription, task or dictionary entry.
/// </remarks>
public sealed class NatsJetStreamPublisher : IAsyncDisposable
{
    private const byte Free = 0;
    private const byte Pending = 1;
    private const byte Done = 2;

    private readonly NatsConnection _connection;
    private readonly NatsSubscription _subscription;
    private readonly string _replyPrefix;
    private readonly Slot[] _slots;
    private readonly SemaphoreSlim _window;
    private readonly Channel<NatsJetStreamPublishResult> _completed;
    private readonly long _ackTimeoutTicks;
    private readonly TimeSpan _ackTimeout;
    private readonly Lock _sync = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _ackLoop;
    private readonly Task _timeoutLoop;
    private long _nextId;
    private long _head;
    private string? _lastStream;

    private NatsJetStreamPublisher(NatsConnection connection, NatsSubscription subscription, string inbox, NatsJetStreamPublisherOptions options)
    {
        _connection = connection;
        _subscription = subscription;
        _replyPrefix = inbox + ".";
        _slots = new Slot[options.MaxInFlight];
        _window = new SemaphoreSlim(options.MaxInFlight, options.MaxInFlight);
        _completed = Channel.CreateBounded<NatsJetStreamPublishResult>(new BoundedChannelOptions(options.MaxInFlight)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        Results = new ResultReader(_completed.Reader, _window);
        _ackTimeout = options.AckTimeout;
        _ackTimeoutTicks = (long)(options.AckTimeout.TotalSeconds * Stopwatch.Frequency);
        _ackLoop = Task.Run(ReadAcksAsync);
        _timeoutLoop = Task.Run(ExpireAsync);
    }

    /// <summary>The results, in publish order; reading one frees its place in the in-flight window.</summary>
    public ChannelReader<NatsJetStreamPublishResult> Results { get; }

    /// <summary>How many publishes have no result read yet.</summary>
    public long InFlight => _slots.Length - _window.CurrentCount;

    internal static async Task<NatsJetStreamPublisher> StartAsync(NatsConnection connection, NatsJetStreamPublisherOptions options, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxInFlight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.AckTimeout, TimeSpan.Zero);
        var inbox = connection.NewInbox();
        // Acks are bounded by the window, so waiting for room never stalls the connection for long, and no ack is dropped.
        var subscriptionOptions = new NatsSubscriptionOptions { Capacity = options.MaxInFlight + 64, SlowConsumerPolicy = NatsSlowConsumerPolicy.Wait };
        var subscription = await connection.SubscribeAsync(inbox + ".*", options: subscriptionOptions, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new NatsJetStreamPublisher(connection, subscription, inbox, options);
    }

    /// <summary>Publishes a message, waiting first while the window is full; returns the publish id its result will carry.</summary>
    public async ValueTask<long> PublishAsync(
        string subject,
        ReadOnlyMemory<byte> data,
        NatsHeaders? headers = null,
        NatsJetStreamPublishOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        if (!_window.Wait(0, CancellationToken.None))
        {
            await _window.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        long id;
        lock (_sync)
        {
            id = _nextId++;
            ref var slot = ref _slots[id % _slots.Length];
            slot.Id = id;
            slot.Subject = subject;
            slot.Deadline = Stopwatch.GetTimestamp() + _ackTimeoutTicks;
            slot.Error = null;
            slot.Ack = default;
            slot.State = Pending;
        }

        if (options is not null)
        {
            headers = options.ApplyTo(headers);
        }

        try
        {
            await _connection.PublishAsync(subject, data, headers, ReplySubject(id), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The id is taken, so it must still produce a result to keep the results gap-free and ordered.
            Complete(id, default, e as NatsJetStreamException ?? new NatsJetStreamException($"Publish to '{subject}' failed: {e.Message}", innerException: e));
        }

        return id;
    }

    /// <summary>Stops matching acks; publishes without a result yet are dropped.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_ackLoop, _timeoutLoop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await _subscription.DisposeAsync().ConfigureAwait(false);
        _completed.Writer.TryComplete();
        _stop.Dispose();
    }

    private string ReplySubject(long id) =>
        string.Create(CultureInfo.InvariantCulture, $"{_replyPrefix}{id}");

    private async Task ReadAcksAsync()
    {
        var reader = _subscription.Messages;
        try
        {
            while (await reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                while (reader.TryRead(out var msg))
                {
                    HandleAck(msg);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private void HandleAck(NatsMsg msg)
    {
        var subject = msg.Subject;
        var lastDot = subject.LastIndexOf('.');
        if (lastDot < 0 || !long.TryParse(subject.AsSpan(lastDot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return;
        }

        if (msg.Headers?.StatusCode is { } status and not 0)
        {
            var error = status == 503
                ? JetStreamErrors.NoResponders(PendingSubject(id))
                : new NatsJetStreamException($"JetStream publish answered {status} {msg.Headers.StatusDescription}.", status, 0, msg.Headers.StatusDescription);
            Complete(id, default, error);
            return;
        }

        PubAck ack;
        ApiError? apiError;
        bool parsed;
        lock (_sync)
        {
            parsed = PubAckParser.TryParse(msg.Data.Span, ref _lastStream, out ack, out apiError);
        }

        if (!parsed)
        {
            Complete(id, default, new NatsJetStreamException($"Invalid PubAck: {PubAckParser.Describe(msg.Data.Span)}"));
        }
        else if (apiError is not null)
        {
            Complete(id, default, JetStreamErrors.Create("publish to '" + PendingSubject(id) + "'", apiError));
        }
        else
        {
            Complete(id, ack, null);
        }
    }

    private string PendingSubject(long id)
    {
        lock (_sync)
        {
            ref var slot = ref _slots[id % _slots.Length];
            return slot.Id == id && slot.Subject is not null ? slot.Subject : "?";
        }
    }

    private void Complete(long id, PubAck ack, NatsJetStreamException? error)
    {
        lock (_sync)
        {
            ref var slot = ref _slots[id % _slots.Length];
            if (slot.Id != id || slot.State != Pending)
            {
                return; // a late ack for a publish already reported as timed out
            }

            slot.State = Done;
            slot.Ack = ack;
            slot.Error = error;
            DrainLocked();
        }
    }

    private void DrainLocked()
    {
        while (_head < _nextId)
        {
            ref var slot = ref _slots[_head % _slots.Length];
            if (slot.State != Done)
            {
                return;
            }

            // Cannot fail: the window bounds pending plus unread results by the channel's capacity.
            _completed.Writer.TryWrite(new NatsJetStreamPublishResult(slot.Id, slot.Subject!, slot.Ack, slot.Error));
            slot.State = Free;
            slot.Subject = null;
            slot.Error = null;
            _head++;
        }
    }

    private async Task ExpireAsync()
    {
        var period = TimeSpan.FromTicks(Math.Clamp(_ackTimeout.Ticks / 4, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerSecond));
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                ExpireOverdue();
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private void ExpireOverdue()
    {
        var now = Stopwatch.GetTimestamp();
        lock (_sync)
        {
            // Deadlines grow with the id, so the scan stops at the first pending publish still in time.
            for (var id = _head; id < _nextId; id++)
            {
                ref var slot = ref _slots[id % _slots.Length];
                if (slot.State != Pending)
                {
                    continue;
                }

                if (slot.Deadline > now)
                {
                    break;
                }

                slot.State = Done;
                slot.Error = new NatsJetStreamPublishTimeoutException(slot.Subject!, _ackTimeout);
            }

            DrainLocked();
        }
    }

    private struct Slot
    {
        public long Id;
        public string? Subject;
        public long Deadline;
        public PubAck Ack;
        public NatsJetStreamException? Error;
        public byte State;
    }

    /// <summary>Hands results out and gives each read one's place in the window back.</summary>
    private sealed class ResultReader(ChannelReader<NatsJetStreamPublishResult> inner, SemaphoreSlim window) : ChannelReader<NatsJetStreamPublishResult>
    {
        public override Task Completion => inner.Completion;

        public override bool CanCount => inner.CanCount;

        public override int Count => inner.Count;

        public override bool TryRead(out NatsJetStreamPublishResult item)
        {
            if (!inner.TryRead(out item))
            {
                return false;
            }

            window.Release();
            return true;
        }

        public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) => inner.WaitToReadAsync(cancellationToken);
    }
}

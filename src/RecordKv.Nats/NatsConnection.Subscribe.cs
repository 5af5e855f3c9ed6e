using System.Buffers;
using RecordKv.Nats.Internal;

namespace RecordKv.Nats;

public sealed partial class NatsConnection
{
    /// <summary>Subscribes to a subject (wildcards allowed), optionally in a queue group.</summary>
    public ValueTask<NatsSubscription> SubscribeAsync(string subject, string? queueGroup = null, NatsSubscriptionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ValidateSubject(subject, nameof(subject));
        if (queueGroup is not null)
        {
            ValidateSubject(queueGroup, nameof(queueGroup));
        }

        var capacity = options?.Capacity ?? _options.SubscriptionCapacity;
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1, nameof(options));
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(SubscribeCore(subject, queueGroup, capacity, options?.SlowConsumerPolicy ?? _options.SlowConsumerPolicy, options?.MaxMessages, isReplyInbox: false));
    }

    private NatsSubscription SubscribeCore(string subject, string? queueGroup, int capacity, NatsSlowConsumerPolicy policy, long? maxMessages, bool isReplyInbox)
    {
        ThrowIfClosed();
        var sid = Interlocked.Increment(ref _nextSid);
        var subscription = new NatsSubscription(this, sid, subject, queueGroup, capacity, policy, maxMessages, isReplyInbox);
        _subscriptions[sid] = subscription;
        try
        {
            WriteCommands(subscription, static (writer, sub) => sub.WriteResubscribe(writer));
        }
        catch
        {
            _subscriptions.TryRemove(sid, out _);
            subscription.Complete(null);
            throw;
        }

        return subscription;
    }

    internal ValueTask UnsubscribeAsync(NatsSubscription subscription, int? maxMessages)
    {
        if (maxMessages is { } max && max > 0 && !subscription.SetMaxMessages(max))
        {
            WriteCommands((subscription.Sid, (long)max), static (writer, state) => NatsCommandWriter.WriteUnsubscribe(writer, state.Sid, state.Item2));
            return default;
        }

        var removed = RemoveSubscription(subscription);
        subscription.Complete(null);
        if (removed && State != NatsConnectionState.Closed && !IsDisposed)
        {
            WriteCommands(subscription.Sid, static (writer, sid) => NatsCommandWriter.WriteUnsubscribe(writer, sid, null));
        }

        return default;
    }

    internal bool RemoveSubscription(NatsSubscription subscription) => _subscriptions.TryRemove(subscription.Sid, out _);

    /// <summary>Hands a MSG/HMSG to its subscription; the payload is copied out of the read buffer here.</summary>
    private ValueTask Dispatch(in NatsServerOp op, CancellationToken cancellationToken)
    {
        if (!_subscriptions.TryGetValue(op.Sid, out var subscription))
        {
            // Unsubscribed while the message was in flight.
            return default;
        }

        NatsHeaders? headers = null;
        var payload = op.Payload;
        if (op.Kind == NatsServerOpKind.HMsg)
        {
            headers = ParseHeaders(payload.Slice(0, op.HeaderLength));
            payload = payload.Slice(op.HeaderLength);
        }

        var data = payload.IsEmpty ? ReadOnlyMemory<byte>.Empty : payload.ToArray();
        var message = new NatsMsg(op.Subject!, op.ReplyTo, headers, data, this);
        if (subscription.IsReplyInbox)
        {
            CompleteRequest(message);
            return default;
        }

        return subscription.DeliverAsync(message, cancellationToken);
    }

    private static NatsHeaders ParseHeaders(ReadOnlySequence<byte> block)
    {
        if (block.IsSingleSegment)
        {
            return NatsHeaders.Parse(block.FirstSpan);
        }

        var rented = ArrayPool<byte>.Shared.Rent((int)block.Length);
        try
        {
            block.CopyTo(rented);
            return NatsHeaders.Parse(rented.AsSpan(0, (int)block.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>A '-ERR Permissions Violation for Subscription to "x"' ends the subscriptions on x with the error.</summary>
    private void FailSubscriptionsDeniedBy(NatsServerErrorException error)
    {
        const string marker = "Subscription to ";
        var at = error.ServerMessage.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return;
        }

        var subject = error.ServerMessage[(at + marker.Length)..].Trim().Trim('"');
        foreach (var subscription in _subscriptions.Values)
        {
            if (string.Equals(subscription.Subject, subject, StringComparison.Ordinal))
            {
                RemoveSubscription(subscription);
                subscription.Complete(error);
            }
        }
    }
}

using System.Collections.Concurrent;
using System.Globalization;

namespace RecordKv.Nats;

public sealed partial class NatsConnection
{
    /// <summary>Replies arrive on <c>{_replyPrefix}{id}</c>, all through one wildcard subscription.</summary>
    private readonly string _replyPrefix;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<NatsMsg>> _pendingRequests = new();
    private readonly SemaphoreSlim _replyInboxLock = new(1, 1);
    private NatsSubscription? _replyInbox;
    private long _nextRequestId;

    /// <summary>Publishes a request and waits for the first reply, through the connection's one multiplexed reply inbox.</summary>
    /// <exception cref="NatsNoRespondersException">Nobody subscribes to the subject (the server answered 503).</exception>
    /// <exception cref="NatsTimeoutException">No reply within the timeout (default <see cref="NatsOptions.RequestTimeout"/>).</exception>
    public async Task<NatsMsg> RequestAsync(string subject, ReadOnlyMemory<byte> data, NatsHeaders? headers = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        await EnsureReplyInboxAsync(cancellationToken).ConfigureAwait(false);
        var id = Interlocked.Increment(ref _nextRequestId);
        var reply = new TaskCompletionSource<NatsMsg>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pendingRequests[id] = reply;
        var wait = timeout ?? _options.RequestTimeout;
        try
        {
            await PublishAsync(subject, data, headers, _replyPrefix + id.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
            NatsMsg message;
            try
            {
                message = await reply.Task.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new NatsTimeoutException($"No reply to the request on '{subject}' within {wait.TotalMilliseconds:0} ms.");
            }

            if (message.Headers?.StatusCode == 503 && message.Data.IsEmpty)
            {
                throw new NatsNoRespondersException(subject);
            }

            return message;
        }
        finally
        {
            _pendingRequests.TryRemove(id, out _);
        }
    }

    private ValueTask EnsureReplyInboxAsync(CancellationToken cancellationToken) =>
        Volatile.Read(ref _replyInbox) is not null ? default : CreateReplyInboxAsync(cancellationToken);

    private async ValueTask CreateReplyInboxAsync(CancellationToken cancellationToken)
    {
        await _replyInboxLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_replyInbox is null)
            {
                var inbox = SubscribeCore(_replyPrefix + "*", null, 1, NatsSlowConsumerPolicy.DropNewest, null, isReplyInbox: true);
                Volatile.Write(ref _replyInbox, inbox);
            }
        }
        finally
        {
            _replyInboxLock.Release();
        }
    }

    /// <summary>Called by the read loop for a message on the reply inbox.</summary>
    private void CompleteRequest(NatsMsg message)
    {
        var subject = message.Subject;
        if (subject.Length > _replyPrefix.Length
            && long.TryParse(subject.AsSpan(_replyPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            && _pendingRequests.TryRemove(id, out var reply))
        {
            reply.TrySetResult(message);
        }
    }

    private void FailPendingRequests(Exception error)
    {
        foreach (var pending in _pendingRequests)
        {
            if (_pendingRequests.TryRemove(pending.Key, out var reply))
            {
                reply.TrySetException(error);
            }
        }
    }
}

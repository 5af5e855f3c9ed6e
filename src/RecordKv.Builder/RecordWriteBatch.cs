using RecordKv.Nats.JetStream;

namespace RecordKv.Builder;

/// <summary>
/// The record writes of one lane batch or resync, published without waiting for each PubAck; <see cref="WhenAcknowledgedAsync"/>
/// completes once every one of them is acknowledged, and throws when any failed (the event is then redelivered and
/// applied again, which puts and deletes make harmless).
/// </summary>
internal sealed class RecordWriteBatch
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // One extra count for the batch being open: it cannot complete before WhenAcknowledgedAsync is called.
    private int _outstanding = 1;
    private NatsJetStreamException? _error;

    /// <summary>Writes published into this batch.</summary>
    public int Count { get; private set; }

    internal void Adding()
    {
        Count++;
        Interlocked.Increment(ref _outstanding);
    }

    internal void Completed(NatsJetStreamException? error)
    {
        if (error is not null)
        {
            Interlocked.CompareExchange(ref _error, error, null);
        }

        if (Interlocked.Decrement(ref _outstanding) == 0)
        {
            _done.TrySetResult();
        }
    }

    /// <summary>Closes the batch and waits for the acknowledgements of every write in it.</summary>
    public async Task WhenAcknowledgedAsync(CancellationToken cancellationToken)
    {
        Completed(null);
        await _done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_error is { } error)
        {
            throw new NatsJetStreamException($"{Count} record writes: at least one was not acknowledged: {error.Message}", innerException: error);
        }
    }
}

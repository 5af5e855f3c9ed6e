namespace RecordKv.Ingester;

/// <summary>An open/closed gate the relay reader waits at while backpressure holds it closed.</summary>
internal sealed class AsyncGate
{
    private readonly Lock _sync = new();
    private TaskCompletionSource? _closed;

    /// <summary>Whether the gate is open.</summary>
    public bool IsOpen
    {
        get
        {
            lock (_sync)
            {
                return _closed is null;
            }
        }
    }

    /// <summary>Closes the gate; waiters block until <see cref="Open"/>.</summary>
    public void Close()
    {
        lock (_sync)
        {
            _closed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Opens the gate and releases every waiter.</summary>
    public void Open()
    {
        TaskCompletionSource? closed;
        lock (_sync)
        {
            closed = _closed;
            _closed = null;
        }

        closed?.TrySetResult();
    }

    /// <summary>Completes at once when open, otherwise when opened.</summary>
    public ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource? closed;
        lock (_sync)
        {
            closed = _closed;
        }

        return closed is null ? ValueTask.CompletedTask : new ValueTask(closed.Task.WaitAsync(cancellationToken));
    }
}

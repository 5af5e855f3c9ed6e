namespace RecordKv.Testing;

/// <summary>Waits for a condition instead of sleeping for a guessed time.</summary>
public static class TestWait
{
    /// <summary>Re-checks <paramref name="condition"/> every few milliseconds until it holds; the token bounds the wait.</summary>
    public static async Task UntilAsync(Func<bool> condition, CancellationToken cancellationToken, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        while (!condition())
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Timed out waiting for {what ?? "a condition"}.");
            }

            try
            {
                await Task.Delay(10, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out waiting for {what ?? "a condition"}.");
            }
        }
    }

    /// <summary>As <see cref="UntilAsync(Func{bool}, CancellationToken, string?)"/> for a condition that must be awaited.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, CancellationToken cancellationToken, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        while (!await condition().ConfigureAwait(false))
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Timed out waiting for {what ?? "a condition"}.");
            }

            try
            {
                await Task.Delay(10, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out waiting for {what ?? "a condition"}.");
            }
        }
    }
}

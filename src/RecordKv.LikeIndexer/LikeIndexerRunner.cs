using RecordKv.Client;

namespace RecordKv.LikeIndexer;

/// <summary>Feeds like records from the record store into a <see cref="LikeIndex"/>, acknowledging each change once applied.</summary>
public static class LikeIndexerRunner
{
    /// <summary>Consumes <c>app.bsky.feed.like</c> under <paramref name="consumerName"/> until cancelled; <paramref name="applied"/> is called after each ack.</summary>
    public static async Task RunAsync(RecordKvClient client, LikeIndex index, string consumerName, RecordConsumeOptions options, Action<RecordMessage>? applied = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(index);
        await foreach (var message in client.ConsumeAsync(consumerName, [LikeIndex.LikeCollection], options, cancellationToken).ConfigureAwait(false))
        {
            await index.ApplyAsync(message.Id, message.Operation, message.Record, cancellationToken).ConfigureAwait(false);
            await message.AckAsync(cancellationToken).ConfigureAwait(false);
            applied?.Invoke(message);
        }
    }
}

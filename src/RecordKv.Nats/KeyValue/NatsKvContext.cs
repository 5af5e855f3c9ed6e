using RecordKv.Nats.JetStream;

namespace RecordKv.Nats.KeyValue;

/// <summary>Creates, binds and deletes key-value buckets.</summary>
public sealed class NatsKvContext
{
    /// <summary>Creates a context over a JetStream context.</summary>
    public NatsKvContext(NatsJetStreamContext jetStream)
    {
        ArgumentNullException.ThrowIfNull(jetStream);
        JetStream = jetStream;
    }

    /// <summary>The JetStream context used.</summary>
    public NatsJetStreamContext JetStream { get; }

    /// <summary>Creates a bucket, or binds to it when it exists with the same configuration.</summary>
    public async Task<NatsKvStore> CreateBucketAsync(NatsKvConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!NatsKvNames.IsValidBucketName(config.Bucket))
        {
            throw new ArgumentException($"Invalid bucket name '{config.Bucket}': use [A-Za-z0-9_-].", nameof(config));
        }

        if (config.History is < 1 or > NatsKvConfig.MaxHistory)
        {
            throw new ArgumentOutOfRangeException(nameof(config), config.History, $"History must be 1 to {NatsKvConfig.MaxHistory}.");
        }

        var info = await JetStream.CreateStreamAsync(config.ToStreamConfig(), cancellationToken).ConfigureAwait(false);
        return new NatsKvStore(JetStream, config.Bucket, info);
    }

    /// <summary>Updates a bucket's configuration (history, TTL, sizes).</summary>
    public async Task<NatsKvStore> UpdateBucketAsync(NatsKvConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        var info = await JetStream.UpdateStreamAsync(config.ToStreamConfig(), cancellationToken).ConfigureAwait(false);
        return new NatsKvStore(JetStream, config.Bucket, info);
    }

    /// <summary>Binds to an existing bucket; throws <see cref="NatsJetStreamNotFoundException"/> when it does not exist.</summary>
    public async Task<NatsKvStore> GetBucketAsync(string bucket, CancellationToken cancellationToken = default)
    {
        if (!NatsKvNames.IsValidBucketName(bucket))
        {
            throw new ArgumentException($"Invalid bucket name '{bucket}'.", nameof(bucket));
        }

        var info = await JetStream.GetStreamInfoAsync(NatsKvStore.StreamPrefix + bucket, cancellationToken).ConfigureAwait(false);
        return new NatsKvStore(JetStream, bucket, info);
    }

    /// <summary>Deletes a bucket and all its entries.</summary>
    public Task DeleteBucketAsync(string bucket, CancellationToken cancellationToken = default) =>
        JetStream.DeleteStreamAsync(NatsKvStore.StreamPrefix + bucket, cancellationToken);
}

using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RecordKv.Contracts;
using RecordKv.Nats;
using RecordKv.Nats.JetStream;
using RecordKv.Nats.KeyValue;

namespace RecordKv.Coordination;

/// <summary>
/// The store every service binds to at start-up: the firehose stream, the record/repo/identity/control buckets and the
/// partition count in the control bucket's <c>config</c> key. Opening is idempotent and safe for services starting together.
/// </summary>
public sealed class RecordKvStore
{
    private RecordKvStore(NatsConnection connection, NatsJetStreamContext jetStream, NatsKvContext kv, RecordKvStoreOptions options, NatsKvStore records, NatsKvStore repos, NatsKvStore identities, NatsKvStore control, StreamInfo firehose)
    {
        Connection = connection;
        JetStream = jetStream;
        Kv = kv;
        Options = options;
        Records = records;
        Repos = repos;
        Identities = identities;
        Control = control;
        Firehose = firehose;
        Partitioner = new DidPartitioner(options.Partitions);
    }

    /// <summary>The NATS connection.</summary>
    public NatsConnection Connection { get; }

    /// <summary>The JetStream context.</summary>
    public NatsJetStreamContext JetStream { get; }

    /// <summary>The key-value context.</summary>
    public NatsKvContext Kv { get; }

    /// <summary>The options the store was opened with.</summary>
    public RecordKvStoreOptions Options { get; }

    /// <summary>The names of the stream and buckets.</summary>
    public StoreNames Names => Options.Names;

    /// <summary>The partition count (equal to the stored <c>config</c>).</summary>
    public int PartitionCount => Options.Partitions;

    /// <summary>The DID partition function for <see cref="PartitionCount"/>.</summary>
    public DidPartitioner Partitioner { get; }

    /// <summary>The <c>record</c> bucket.</summary>
    public NatsKvStore Records { get; }

    /// <summary>The <c>repo</c> bucket.</summary>
    public NatsKvStore Repos { get; }

    /// <summary>The <c>identity</c> bucket.</summary>
    public NatsKvStore Identities { get; }

    /// <summary>The control bucket (config, cursors, leases, members).</summary>
    public NatsKvStore Control { get; }

    /// <summary>The firehose stream's information when the store was opened.</summary>
    public StreamInfo Firehose { get; }

    /// <summary>Creates or binds the stream and buckets and checks the partition count; throws <see cref="RecordKvStoreException"/> when they do not fit the options.</summary>
    public static async Task<RecordKvStore> OpenAsync(NatsConnection connection, RecordKvStoreOptions options, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        logger ??= NullLogger.Instance;
        var maxPayload = connection.ServerInfo.MaxPayload;
        if (maxPayload < options.FirehoseMaxMessageBytes)
        {
            throw new RecordKvStoreException(string.Create(
                CultureInfo.InvariantCulture,
                $"The NATS server's max_payload is {maxPayload} bytes, below the {options.FirehoseMaxMessageBytes} bytes a firehose frame may need (the spec allows 5 MiB frames). Set max_payload: 8MB in the nats-server configuration."));
        }

        var jetStream = new NatsJetStreamContext(connection);
        var kv = new NatsKvContext(jetStream);
        var firehose = await EnsureFirehoseStreamAsync(jetStream, options, logger, cancellationToken).ConfigureAwait(false);
        await BackfillQueue.EnsureStreamAsync(jetStream, options, logger, cancellationToken).ConfigureAwait(false);
        await EnsureRecordIndexStreamAsync(jetStream, options, logger, cancellationToken).ConfigureAwait(false);
        var names = options.Names;
        var records = await EnsureBucketAsync(kv, names.RecordBucket, "RecordKv records (atproto JSON values)", options, cancellationToken).ConfigureAwait(false);
        var repos = await EnsureBucketAsync(kv, names.RepoBucket, "RecordKv repository sync states", options, cancellationToken).ConfigureAwait(false);
        var identities = await EnsureBucketAsync(kv, names.IdentityBucket, "RecordKv resolved identities", options, cancellationToken).ConfigureAwait(false);
        var control = await EnsureBucketAsync(kv, names.ControlBucket, "RecordKv control: config, cursors, leases", options, cancellationToken).ConfigureAwait(false);
        await EnsurePartitionCountAsync(control, options, cancellationToken).ConfigureAwait(false);
        Log.StoreBound(logger, names.FirehoseStream, options.Partitions, names.ControlBucket);
        return new RecordKvStore(connection, jetStream, kv, options, records, repos, identities, control, firehose);
    }

    /// <summary>Encodes the <c>config</c> value: <c>{"partitions":N}</c>.</summary>
    internal static byte[] EncodeConfig(int partitions)
    {
        var buffer = new ArrayBufferWriter<byte>(32);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("partitions", partitions);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads the partition count from a <c>config</c> value; null when it has none.</summary>
    internal static int? DecodePartitions(ReadOnlySpan<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("partitions", out var value)
                && value.TryGetInt32(out var partitions) ? partitions : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<StreamInfo> EnsureFirehoseStreamAsync(NatsJetStreamContext jetStream, RecordKvStoreOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var names = options.Names;
        var existing = await EnsureStreamAsync(
            jetStream,
            new StreamConfig
            {
                Name = names.FirehoseStream,
                Description = "RecordKv: raw atproto firehose frames, one subject per DID partition",
                Subjects = [names.FirehoseSubjectPrefix + ".*"],
                Retention = StreamRetentionPolicy.Limits,
                MaxAge = options.FirehoseMaxAge,
                MaxBytes = options.FirehoseMaxBytes,
                MaxMsgSize = options.FirehoseMaxMessageBytes,
                DuplicateWindow = options.FirehoseDuplicateWindow,
                Discard = StreamDiscardPolicy.Old,
                Storage = StreamStorageType.File,
                NumReplicas = options.Replicas,
            },
            logger,
            cancellationToken).ConfigureAwait(false);
        if (existing.Config.MaxMsgSize is > 0 and var size && size < options.FirehoseMaxMessageBytes)
        {
            existing = await jetStream.UpdateStreamAsync(existing.Config with { MaxMsgSize = options.FirehoseMaxMessageBytes }, cancellationToken).ConfigureAwait(false);
            Log.StreamUpdated(logger, names.FirehoseStream, options.FirehoseMaxMessageBytes);
        }

        return existing;
    }

    /// <summary>
    /// Creates the record index stream when missing: one literal subject per DID, read back with direct gets (so
    /// <c>allow_direct</c>), no limits (a DID's subject is compacted by its builder, never aged out).
    /// </summary>
    public static async Task EnsureRecordIndexStreamAsync(NatsJetStreamContext jetStream, RecordKvStoreOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jetStream);
        ArgumentNullException.ThrowIfNull(options);
        var names = options.Names;
        await EnsureStreamAsync(
            jetStream,
            new StreamConfig
            {
                Name = names.RecordIndexStream,
                Description = "RecordKv: the record keys of each repository, one subject per DID (builders list a repository from it)",
                Subjects = [names.RecordIndexSubjectPrefix + ".*"],
                Retention = StreamRetentionPolicy.Limits,
                Discard = StreamDiscardPolicy.Old,
                Storage = StreamStorageType.File,
                AllowDirect = true,
                NumReplicas = options.Replicas,
            },
            logger,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Binds to a stream, creating it with <paramref name="config"/> when missing (idempotent; safe when several services
    /// start together: one that loses the race binds to the stream the other created). An existing stream keeps its
    /// configuration.
    /// </summary>
    internal static async Task<StreamInfo> EnsureStreamAsync(NatsJetStreamContext jetStream, StreamConfig config, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            return await jetStream.GetStreamInfoAsync(config.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsJetStreamNotFoundException)
        {
        }

        try
        {
            var created = await jetStream.CreateStreamAsync(config, cancellationToken).ConfigureAwait(false);
            Log.StreamCreated(logger, config.Name, config.Subjects![0], config.MaxMsgSize);
            return created;
        }
        catch (NatsJetStreamException) when (!cancellationToken.IsCancellationRequested)
        {
            // Another service created it at the same moment.
            return await jetStream.GetStreamInfoAsync(config.Name, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<NatsKvStore> EnsureBucketAsync(NatsKvContext kv, string bucket, string description, RecordKvStoreOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await kv.GetBucketAsync(bucket, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsJetStreamNotFoundException)
        {
        }

        try
        {
            return await kv.CreateBucketAsync(new NatsKvConfig { Bucket = bucket, Description = description, History = 1, Replicas = options.Replicas }, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsJetStreamException) when (!cancellationToken.IsCancellationRequested)
        {
            // Created by another service at the same moment, perhaps with other settings: bind to it.
            return await kv.GetBucketAsync(bucket, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task EnsurePartitionCountAsync(NatsKvStore control, RecordKvStoreOptions options, CancellationToken cancellationToken)
    {
        int? stored;
        try
        {
            await control.CreateAsync(ControlKeys.Config, EncodeConfig(options.Partitions), cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (NatsJetStreamWrongLastSequenceException)
        {
            var entry = await control.GetAsync(ControlKeys.Config, cancellationToken).ConfigureAwait(false);
            stored = entry is null ? null : DecodePartitions(entry.Value.Span);
        }

        if (stored is not { } partitions)
        {
            throw new RecordKvStoreException($"The control bucket '{control.Bucket}' has a '{ControlKeys.Config}' key without a partition count; it is not a RecordKv store, or it is damaged.");
        }

        if (partitions != options.Partitions)
        {
            throw new RecordKvStoreException(string.Create(
                CultureInfo.InvariantCulture,
                $"The store (control bucket '{control.Bucket}') was created with {partitions} partitions, but this service is configured with {options.Partitions}. Set RecordKv:Partitions (environment RECORDKV_RecordKv__Partitions, flag --RecordKv:Partitions) to {partitions}; the partition count of a store cannot change."));
        }
    }
}

using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using RecordKv.Contracts;
using RecordKv.Coordination;
using RecordKv.Nats;
using RecordKv.Nats.JetStream;
using RecordKv.Nats.KeyValue;

namespace RecordKv.Client;

/// <summary>
/// Reads the RecordKv record store: <see cref="ConsumeAsync"/> streams the current contents of some collections and then
/// their live changes from durable consumers that resume after a restart; <see cref="GetAsync"/> reads one record by AT-URI.
/// </summary>
public sealed class RecordKvClient : IAsyncDisposable
{
    private readonly RecordKvClientOptions _options;
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private readonly bool _ownsConnection;
    private NatsConnection? _connection;
    private Task<StoreHandles>? _handles;

    /// <summary>Creates a client that connects on first use with <paramref name="options"/>.</summary>
    public RecordKvClient(RecordKvClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _ownsConnection = true;
    }

    /// <summary>Creates a client over an existing connection (not disposed with the client).</summary>
    public RecordKvClient(NatsConnection connection, RecordKvClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _options = options ?? new RecordKvClientOptions();
        _connection = connection;
        _ownsConnection = false;
    }

    /// <summary>The options.</summary>
    public RecordKvClientOptions Options => _options;

    /// <summary>The durable consumer name used for one collection when partitions are not shared.</summary>
    public static string ConsumerName(string name, string collection) => $"{name}-{CollectionToken(collection)}";

    /// <summary>The durable consumer name used for one collection on one partition when partitions are shared.</summary>
    public static string ConsumerName(string name, int partition, string collection) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name}-{partition}-{CollectionToken(collection)}");

    /// <summary>The control-bucket key prefix of the partition leases of consumer group <paramref name="name"/>.</summary>
    public static string LeasePrefix(string name) => $"consumer.{name}";

    /// <summary>
    /// Streams every record of <paramref name="collections"/> as it is now, then every change, through durable consumers named
    /// after <paramref name="name"/>; a restart resumes after the last acknowledged message. There is no mode switch: the
    /// initial contents are simply the oldest messages. Acknowledge each message when it is handled.
    /// </summary>
    public async IAsyncEnumerable<RecordMessage> ConsumeAsync(
        string name,
        IReadOnlyList<string> collections,
        RecordConsumeOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ValidateName(name);
        ArgumentNullException.ThrowIfNull(collections);
        if (collections.Count == 0)
        {
            throw new ArgumentException("At least one collection is needed.", nameof(collections));
        }

        foreach (var collection in collections)
        {
            _ = RecordStoreKeys.CollectionSubject(_options.RecordBucket, collection);
        }

        options ??= new RecordConsumeOptions();
        var handles = await GetHandlesAsync(cancellationToken).ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var channel = Channel.CreateBounded<RecordMessage>(new BoundedChannelOptions(options.BufferSize) { SingleReader = true });
        var pumps = new List<Task>();
        PartitionLeases? leases = null;
        Task? follower = null;
        try
        {
            if (!options.SharePartitions)
            {
                foreach (var collection in collections)
                {
                    var consumer = await EnsureConsumerAsync(handles, ConsumerName(name, collection), RecordStoreKeys.CollectionSubject(_options.RecordBucket, collection), stop.Token).ConfigureAwait(false);
                    pumps.Add(PumpAsync(consumer, channel.Writer, stop.Token));
                }
            }
            else
            {
                leases = new PartitionLeases(handles.Control, new PartitionLeasesOptions
                {
                    KeyPrefix = LeasePrefix(name),
                    MemberId = options.MemberId,
                    PartitionCount = handles.Partitions,
                    Lease = new KvLeaseOptions { Ttl = _options.LeaseTtl, RenewInterval = _options.LeaseRenewInterval },
                });
                await leases.StartAsync(stop.Token).ConfigureAwait(false);
                follower = FollowLeasesAsync(handles, leases, name, collections, channel.Writer, stop.Token);
            }

            while (await channel.Reader.WaitToReadAsync(stop.Token).ConfigureAwait(false))
            {
                while (channel.Reader.TryRead(out var message))
                {
                    yield return message;
                }
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await QuietlyAsync(pumps).ConfigureAwait(false);
            // Hand buffered, never-yielded messages back at once rather than after the ack wait.
            while (channel.Reader.TryRead(out var unread))
            {
                await QuietlyAsync([unread.NakAsync(cancellationToken: CancellationToken.None).AsTask()]).ConfigureAwait(false);
            }

            if (follower is not null)
            {
                await QuietlyAsync([follower]).ConfigureAwait(false);
            }

            if (leases is not null)
            {
                await leases.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads one record by AT-URI; null when the store does not hold it.</summary>
    public async Task<StoredRecord?> GetAsync(string atUri, CancellationToken cancellationToken = default)
    {
        var id = RecordId.ParseAtUri(atUri);
        var handles = await GetHandlesAsync(cancellationToken).ConfigureAwait(false);
        var entry = await handles.Records.GetEntryAsync(handles.Keys.KeyFor(id), cancellationToken).ConfigureAwait(false);
        if (entry is null || entry.Operation != NatsKvOperation.Put)
        {
            return null;
        }

        return new StoredRecord(id, entry.Headers?.GetLastValue(AtprotoHeaders.Cid), entry.Headers?.GetLastValue(AtprotoHeaders.Rev), entry.Revision, entry.Value);
    }

    /// <summary>The record bucket key of an AT-URI under this store's partition count.</summary>
    public async Task<string> KeyForAsync(string atUri, CancellationToken cancellationToken = default)
    {
        var handles = await GetHandlesAsync(cancellationToken).ConfigureAwait(false);
        return handles.Keys.KeyFor(RecordId.ParseAtUri(atUri));
    }

    /// <summary>The store's partition count (from the control bucket's <c>config</c>, else the options).</summary>
    public async Task<int> GetPartitionCountAsync(CancellationToken cancellationToken = default) =>
        (await GetHandlesAsync(cancellationToken).ConfigureAwait(false)).Partitions;

    /// <summary>Deletes the durable consumers of consumer group <paramref name="name"/> (all collections and partitions) and its leases; returns how many consumers were deleted.</summary>
    public async Task<int> DeleteConsumersAsync(string name, CancellationToken cancellationToken = default)
    {
        ValidateName(name);
        var handles = await GetHandlesAsync(cancellationToken).ConfigureAwait(false);
        var deleted = 0;
        foreach (var consumer in await handles.JetStream.ListConsumerNamesAsync(handles.Records.Stream, cancellationToken).ConfigureAwait(false))
        {
            if (consumer.StartsWith(name + "-", StringComparison.Ordinal))
            {
                await handles.JetStream.DeleteConsumerAsync(handles.Records.Stream, consumer, cancellationToken).ConfigureAwait(false);
                deleted++;
            }
        }

        await foreach (var key in handles.Control.GetKeysAsync(LeasePrefix(name) + ".>", cancellationToken).ConfigureAwait(false))
        {
            await handles.Control.DeleteAsync(key, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return deleted;
    }

    /// <summary>Closes the connection when the client opened it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_ownsConnection && _connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }

        _connectGate.Dispose();
    }

    private static string CollectionToken(string collection) => collection.Replace('.', '_');

    private static void ValidateName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                throw new ArgumentException($"'{name}' is not a consumer name: use letters, digits, '-' and '_'.", nameof(name));
            }
        }
    }

    private static async Task QuietlyAsync(IEnumerable<Task> tasks)
    {
        foreach (var task in tasks)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
            catch (NatsException)
            {
                // Already reported through the channel.
            }
        }
    }

    private async Task FollowLeasesAsync(StoreHandles handles, PartitionLeases leases, string name, IReadOnlyList<string> collections, ChannelWriter<RecordMessage> writer, CancellationToken cancellationToken)
    {
        var running = new Dictionary<int, (CancellationTokenSource Stop, List<Task> Pumps)>();
        try
        {
            await foreach (var change in leases.Changes.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (running.Remove(change.Partition, out var previous))
                {
                    await previous.Stop.CancelAsync().ConfigureAwait(false);
                    await QuietlyAsync(previous.Pumps).ConfigureAwait(false);
                    previous.Stop.Dispose();
                }

                if (!change.Gained)
                {
                    continue;
                }

                var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, change.Lease);
                var pumps = new List<Task>();
                foreach (var collection in collections)
                {
                    var filter = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{NatsKvStore.SubjectPrefix}{_options.RecordBucket}.{change.Partition}.{collection}.>");
                    var consumer = await EnsureConsumerAsync(handles, ConsumerName(name, change.Partition, collection), filter, stop.Token).ConfigureAwait(false);
                    pumps.Add(PumpAsync(consumer, writer, stop.Token));
                }

                running[change.Partition] = (stop, pumps);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            writer.TryComplete(e);
        }
        finally
        {
            foreach (var (stop, pumps) in running.Values)
            {
                await stop.CancelAsync().ConfigureAwait(false);
                await QuietlyAsync(pumps).ConfigureAwait(false);
                stop.Dispose();
            }
        }
    }

    private async Task PumpAsync(NatsJetStreamConsumer consumer, ChannelWriter<RecordMessage> writer, CancellationToken cancellationToken)
    {
        var prefix = NatsKvStore.SubjectPrefix + _options.RecordBucket + ".";
        var consumeOptions = new NatsJetStreamConsumeOptions { MaxMessages = _options.BatchSize, IdleHeartbeat = TimeSpan.FromSeconds(5) };
        try
        {
            await foreach (var msg in consumer.ConsumeAsync(consumeOptions, cancellationToken).ConfigureAwait(false))
            {
                var key = msg.Subject.StartsWith(prefix, StringComparison.Ordinal) ? msg.Subject[prefix.Length..] : msg.Subject;
                RecordId id;
                int partition;
                try
                {
                    id = RecordStoreKeys.ParseKey(key, out partition);
                }
                catch (KeyFormatException)
                {
                    // Not a record key: no reader can use it, so it must not come back.
                    await msg.TermAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                await writer.WriteAsync(new RecordMessage(msg, id, partition, key), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            writer.TryComplete(e);
        }
    }

    private async Task<NatsJetStreamConsumer> EnsureConsumerAsync(StoreHandles handles, string consumerName, string filter, CancellationToken cancellationToken)
    {
        var config = new ConsumerConfig
        {
            DurableName = consumerName,
            FilterSubject = filter,
            DeliverPolicy = ConsumerDeliverPolicy.All,
            AckPolicy = ConsumerAckPolicy.Explicit,
            AckWait = _options.AckWait,
            MaxAckPending = _options.MaxAckPending,
            Description = "RecordKv client consumer",
        };
        return await handles.JetStream.CreateConsumerAsync(handles.Records.Stream, config, cancellationToken).ConfigureAwait(false);
    }

    private Task<StoreHandles> GetHandlesAsync(CancellationToken cancellationToken)
    {
        var handles = Volatile.Read(ref _handles);
        if (handles is null || handles.IsFaulted || handles.IsCanceled)
        {
            handles = OpenAsync(cancellationToken);
            Volatile.Write(ref _handles, handles);
        }

        return handles;
    }

    private async Task<StoreHandles> OpenAsync(CancellationToken cancellationToken)
    {
        await _connectGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _connection ??= await NatsConnection.ConnectAsync(
                new NatsOptions
                {
                    Servers = _options.Servers,
                    User = _options.User,
                    Password = _options.Password,
                    Token = _options.Token,
                    Name = "recordkv-client",
                },
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _connectGate.Release();
        }

        var jetStream = new NatsJetStreamContext(_connection);
        var kv = new NatsKvContext(jetStream);
        var records = await BindAsync(kv, _options.RecordBucket, cancellationToken).ConfigureAwait(false);
        var control = await BindAsync(kv, _options.ControlBucket, cancellationToken).ConfigureAwait(false);
        var partitions = _options.Partitions;
        var config = await control.GetAsync(ControlKeys.Config, cancellationToken).ConfigureAwait(false);
        if (config is not null && config.Value.Length > 0)
        {
            try
            {
                partitions = JsonSerializer.Deserialize(config.Value.Span, RecordJsonContext.Default.StoreConfig)?.Partitions ?? partitions;
            }
            catch (JsonException e)
            {
                throw new RecordKvClientException($"The control bucket '{_options.ControlBucket}' has an unreadable '{ControlKeys.Config}' key.", e);
            }
        }

        return new StoreHandles(jetStream, records, control, partitions, new RecordStoreKeys(new DidPartitioner(partitions)));
    }

    private static async Task<NatsKvStore> BindAsync(NatsKvContext kv, string bucket, CancellationToken cancellationToken)
    {
        try
        {
            return await kv.GetBucketAsync(bucket, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsJetStreamNotFoundException e)
        {
            throw new RecordKvClientException($"The bucket '{bucket}' does not exist: start the RecordKv builder (or ./run.sh) first, or name the right bucket.", e);
        }
    }

    private sealed record StoreHandles(NatsJetStreamContext JetStream, NatsKvStore Records, NatsKvStore Control, int Partitions, RecordStoreKeys Keys);
}

namespace RecordKv.Nats.JetStream;

/// <summary>Consumer management.</summary>
public sealed partial class NatsJetStreamContext
{
    /// <summary>Creates (or, with an identical configuration, binds to) a consumer: durable when <see cref="ConsumerConfig.DurableName"/> is set, else ephemeral.</summary>
    public async Task<NatsJetStreamConsumer> CreateConsumerAsync(string stream, ConsumerConfig config, CancellationToken cancellationToken = default)
    {
        var info = await CreateConsumerInfoAsync(stream, config, cancellationToken).ConfigureAwait(false);
        return new NatsJetStreamConsumer(this, info);
    }

    /// <summary>Binds to an existing consumer; throws <see cref="NatsJetStreamNotFoundException"/> when it does not exist.</summary>
    public async Task<NatsJetStreamConsumer> GetConsumerAsync(string stream, string consumer, CancellationToken cancellationToken = default)
    {
        var info = await GetConsumerInfoAsync(stream, consumer, cancellationToken).ConfigureAwait(false);
        return new NatsJetStreamConsumer(this, info);
    }

    /// <summary>Gets a consumer's configuration and progress.</summary>
    public Task<ConsumerInfo> GetConsumerInfoAsync(string stream, string consumer, CancellationToken cancellationToken = default) =>
        RequestAsync<NamesRequest, ConsumerInfo>("consumer info", Subjects.ConsumerInfo(stream, consumer), null, JetStreamJsonContext.Default.NamesRequest, JetStreamJsonContext.Default.ConsumerInfo, cancellationToken);

    /// <summary>Deletes a consumer; throws <see cref="NatsJetStreamNotFoundException"/> when it does not exist.</summary>
    public async Task DeleteConsumerAsync(string stream, string consumer, CancellationToken cancellationToken = default) =>
        await RequestAsync<NamesRequest, SuccessResponse>("consumer delete", Subjects.ConsumerDelete(stream, consumer), null, JetStreamJsonContext.Default.NamesRequest, JetStreamJsonContext.Default.SuccessResponse, cancellationToken).ConfigureAwait(false);

    /// <summary>Lists the names of a stream's consumers.</summary>
    public async Task<IReadOnlyList<string>> ListConsumerNamesAsync(string stream, CancellationToken cancellationToken = default)
    {
        var names = new List<string>();
        while (true)
        {
            var page = await RequestAsync("consumer names", Subjects.ConsumerNames(stream), new NamesRequest { Offset = names.Count }, JetStreamJsonContext.Default.NamesRequest, JetStreamJsonContext.Default.ConsumerNamesResponse, cancellationToken).ConfigureAwait(false);
            if (page.Consumers is null || page.Consumers.Count == 0)
            {
                return names;
            }

            names.AddRange(page.Consumers);
            if (names.Count >= page.Total)
            {
                return names;
            }
        }
    }

    /// <summary>Lists a stream's consumers with their info.</summary>
    public async Task<IReadOnlyList<ConsumerInfo>> ListConsumersAsync(string stream, CancellationToken cancellationToken = default)
    {
        var infos = new List<ConsumerInfo>();
        while (true)
        {
            var page = await RequestAsync("consumer list", Subjects.ConsumerList(stream), new NamesRequest { Offset = infos.Count }, JetStreamJsonContext.Default.NamesRequest, JetStreamJsonContext.Default.ConsumerListResponse, cancellationToken).ConfigureAwait(false);
            if (page.Consumers is null || page.Consumers.Count == 0)
            {
                return infos;
            }

            infos.AddRange(page.Consumers);
            if (infos.Count >= page.Total)
            {
                return infos;
            }
        }
    }

    /// <summary>Creates an ordered consumer: ephemeral, unacknowledged, recreated from the last seen sequence on any gap.</summary>
    public NatsJetStreamOrderedConsumer CreateOrderedConsumer(string stream, NatsOrderedConsumerOptions? options = null) =>
        new(this, stream, options ?? new NatsOrderedConsumerOptions());

    internal Task<ConsumerInfo> CreateConsumerInfoAsync(string stream, ConsumerConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var name = config.Name ?? config.DurableName;
        var request = new ConsumerCreateRequest { StreamName = stream, Config = config };
        return RequestAsync("consumer create", Subjects.ConsumerCreate(stream, name), request, JetStreamJsonContext.Default.ConsumerCreateRequest, JetStreamJsonContext.Default.ConsumerInfo, cancellationToken);
    }
}

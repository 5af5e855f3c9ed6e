using System.Text.Json;

namespace RecordKv.Nats.JetStream;

/// <summary>Stream management and message reads.</summary>
public sealed partial class NatsJetStreamContext
{
    private static readonly NamesRequest FirstPage = new();

    /// <summary>Creates a stream; fails if one with the same name and a different configuration exists.</summary>
    public Task<StreamInfo> CreateStreamAsync(StreamConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        return RequestAsync("stream create", Subjects.StreamCreate(config.Name), config, JetStreamJsonContext.Default.StreamConfig, JetStreamJsonContext.Default.StreamInfo, cancellationToken);
    }

    /// <summary>Updates a stream's configuration.</summary>
    public Task<StreamInfo> UpdateStreamAsync(StreamConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        return RequestAsync("stream update", Subjects.StreamUpdate(config.Name), config, JetStreamJsonContext.Default.StreamConfig, JetStreamJsonContext.Default.StreamInfo, cancellationToken);
    }

    /// <summary>Gets a stream's configuration and state; throws <see cref="NatsJetStreamNotFoundException"/> when it does not exist.</summary>
    public Task<StreamInfo> GetStreamInfoAsync(string stream, CancellationToken cancellationToken = default) =>
        RequestAsync<NamesRequest, StreamInfo>("stream info", Subjects.StreamInfo(stream), null, JetStreamJsonContext.Default.NamesRequest, JetStreamJsonContext.Default.StreamInfo, cancellationToken);

    /// <summary>
    /// Lists the subjects matching <paramref name="filter"/> that hold messages, with how many each holds
    /// (<c>STREAM.INFO</c> with <c>subjects_filter</c>, every page). No consumer is made: on nats-server 2.9 a filtered
    /// consumer walks every subject of the stream about three times to start, this walks them once.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, ulong>> GetStreamSubjectsAsync(string stream, string filter, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(filter);
        var subjects = new Dictionary<string, ulong>(StringComparer.Ordinal);
        while (true)
        {
            var request = new StreamInfoRequest { SubjectsFilter = filter, Offset = subjects.Count };
            var page = await RequestAsync("stream info", Subjects.StreamInfo(stream), request, JetStreamJsonContext.Default.StreamInfoRequest, JetStreamJsonContext.Default.StreamSubjectsPage, cancellationToken).ConfigureAwait(false);
            var before = subjects.Count;
            foreach (var (subject, count) in page.State?.Subjects ?? new Dictionary<string, ulong>())
            {
                subjects[subject] = count;
            }

            // A page that adds nothing ends it too: subjects stored meanwhile can shift the pages.
            if (subjects.Count >= page.Total || subjects.Count == before)
            {
                return subjects;
            }
        }
    }

    /// <summary>Deletes a stream and its consumers; throws <see cref="NatsJetStreamNotFoundException"/> when it does not exist.</summary>
    public async Task DeleteStreamAsync(string stream, CancellationToken cancellationToken = default) =>
        await RequestAsync<NamesRequest, SuccessResponse>("stream delete", Subjects.StreamDelete(stream), null, JetStreamJsonContext.Default.NamesRequest, JetStreamJsonContext.Default.SuccessResponse, cancellationToken).ConfigureAwait(false);

    /// <summary>Purges a stream (all, one subject, below a sequence, or keeping the newest N) and returns how many messages went.</summary>
    public async Task<ulong> PurgeStreamAsync(string stream, StreamPurgeRequest? request = null, CancellationToken cancellationToken = default)
    {
        var response = await RequestAsync("stream purge", Subjects.StreamPurge(stream), request, JetStreamJsonContext.Default.StreamPurgeRequest, JetStreamJsonContext.Default.StreamPurgeResponse, cancellationToken).ConfigureAwait(false);
        return response.Purged;
    }

    /// <summary>Lists the names of all streams, or of those capturing <paramref name="subjectFilter"/>.</summary>
    public async Task<IReadOnlyList<string>> ListStreamNamesAsync(string? subjectFilter = null, CancellationToken cancellationToken = default)
    {
        var names = new List<string>();
        while (true)
        {
            var request = subjectFilter is null && names.Count == 0 ? FirstPage : new NamesRequest { Offset = names.Count, Subject = subjectFilter };
            var page = await RequestAsync("stream names", Subjects.StreamNames, request, JetStreamJsonContext.Default.NamesRequest, JetStreamJsonContext.Default.StreamNamesResponse, cancellationToken).ConfigureAwait(false);
            if (page.Streams is null || page.Streams.Count == 0)
            {
                return names;
            }

            names.AddRange(page.Streams);
            if (names.Count >= page.Total)
            {
                return names;
            }
        }
    }

    /// <summary>Gets a stored message through the stream leader (<c>STREAM.MSG.GET</c>); throws <see cref="NatsJetStreamNotFoundException"/> when there is none.</summary>
    public async Task<NatsStoredMessage> GetMessageAsync(string stream, StreamMsgGetRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await RequestAsync("message get", Subjects.StreamMsgGet(stream), request, JetStreamJsonContext.Default.StreamMsgGetRequest, JetStreamJsonContext.Default.StreamMsgGetResponse, cancellationToken).ConfigureAwait(false);
        var message = response.Message ?? throw new NatsJetStreamException($"JetStream message get on '{stream}' answered without a message.");
        return new NatsStoredMessage(message.Subject, message.Seq, message.Time, StoredHeadersParser.Parse(message.Hdrs), message.Data ?? ReadOnlyMemory<byte>.Empty);
    }

    /// <summary>Gets a message by sequence (<c>STREAM.MSG.GET</c>).</summary>
    public Task<NatsStoredMessage> GetMessageAsync(string stream, ulong sequence, CancellationToken cancellationToken = default) =>
        GetMessageAsync(stream, new StreamMsgGetRequest { Seq = sequence }, cancellationToken);

    /// <summary>Gets the last message on a subject (<c>STREAM.MSG.GET</c> with <c>last_by_subj</c>).</summary>
    public Task<NatsStoredMessage> GetLastMessageAsync(string stream, string subject, CancellationToken cancellationToken = default) =>
        GetMessageAsync(stream, new StreamMsgGetRequest { LastBySubj = subject }, cancellationToken);

    /// <summary>Gets a stored message from any replica (<c>$JS.API.DIRECT.GET</c>, ADR-31; the stream needs <c>allow_direct</c>); throws <see cref="NatsJetStreamNotFoundException"/> when there is none.</summary>
    public async Task<NatsStoredMessage> DirectGetAsync(string stream, StreamMsgGetRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var subject = Subjects.DirectGet(stream);
        var reply = await SendAsync(subject, JsonSerializer.SerializeToUtf8Bytes(request, JetStreamJsonContext.Default.StreamMsgGetRequest), cancellationToken).ConfigureAwait(false);
        return DirectGetReply.ToStoredMessage(stream, reply);
    }
}

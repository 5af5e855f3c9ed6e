namespace RecordKv.Nats.JetStream;

/// <summary>What the <c>$JS.ACK...</c> reply subject of a consumed message says about it.</summary>
/// <param name="Stream">The stream the message is stored in.</param>
/// <param name="Consumer">The consumer that delivered it.</param>
/// <param name="NumDelivered">How many times it was delivered (1 on first delivery).</param>
/// <param name="StreamSequence">Its sequence in the stream.</param>
/// <param name="ConsumerSequence">Its delivery sequence in the consumer.</param>
/// <param name="Timestamp">When the stream stored it.</param>
/// <param name="NumPending">How many matching messages follow it, not yet delivered.</param>
/// <param name="Domain">The JetStream domain, or null.</param>
public readonly record struct NatsJsMsgMetadata(
    string Stream,
    string Consumer,
    ulong NumDelivered,
    ulong StreamSequence,
    ulong ConsumerSequence,
    DateTimeOffset Timestamp,
    ulong NumPending,
    string? Domain)
{
    private const int LegacyTokenCount = 9;
    private const int MinimumDomainTokenCount = 11;
    private const int MaximumTokenCount = 12;

    /// <summary>Parses the 9-token form <c>$JS.ACK.&lt;stream&gt;.&lt;consumer&gt;.&lt;delivered&gt;.&lt;sseq&gt;.&lt;cseq&gt;.&lt;ts&gt;.&lt;pending&gt;</c> and the 11/12-token form with domain and account hash.</summary>
    public static bool TryParse(string? replyTo, out NatsJsMsgMetadata metadata)
    {
        metadata = default;
        if (replyTo is null || !replyTo.StartsWith("$JS.ACK.", StringComparison.Ordinal))
        {
            return false;
        }

        var span = replyTo.AsSpan();
        Span<Range> tokens = stackalloc Range[MaximumTokenCount + 1];
        var count = span.Split(tokens, '.');
        if (count != LegacyTokenCount && count != MinimumDomainTokenCount && count != MaximumTokenCount)
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            if (tokens[i].GetOffsetAndLength(span.Length).Length == 0)
            {
                return false;
            }
        }

        string? domain = null;
        var first = 2;
        if (count != LegacyTokenCount)
        {
            var domainToken = span[tokens[2]];
            domain = domainToken is "_" ? null : domainToken.ToString();
            first = 4;
        }

        if (!ulong.TryParse(span[tokens[first + 2]], out var delivered)
            || !ulong.TryParse(span[tokens[first + 3]], out var streamSequence)
            || !ulong.TryParse(span[tokens[first + 4]], out var consumerSequence)
            || !long.TryParse(span[tokens[first + 5]], out var nanoseconds)
            || !ulong.TryParse(span[tokens[first + 6]], out var pending)
            || nanoseconds < 0)
        {
            return false;
        }

        metadata = new NatsJsMsgMetadata(
            span[tokens[first]].ToString(),
            span[tokens[first + 1]].ToString(),
            delivered,
            streamSequence,
            consumerSequence,
            DateTimeOffset.UnixEpoch.AddTicks(nanoseconds / 100),
            pending,
            domain);
        return true;
    }
}

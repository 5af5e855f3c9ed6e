namespace RecordKv.Nats.JetStream;

/// <summary>Per-publish deduplication id and optimistic-concurrency expectations, sent as <c>Nats-*</c> headers.</summary>
public sealed record NatsJetStreamPublishOptions
{
    /// <summary>The <c>Nats-Msg-Id</c>: a second publish with the same id within the duplicate window is not stored again.</summary>
    public string? MsgId { get; init; }

    /// <summary>The <c>Nats-Expected-Stream</c>: the publish fails unless this stream captures it.</summary>
    public string? ExpectedStream { get; init; }

    /// <summary>The <c>Nats-Expected-Last-Sequence</c>: the publish fails unless the stream's last sequence is this.</summary>
    public ulong? ExpectedLastSequence { get; init; }

    /// <summary>The <c>Nats-Expected-Last-Subject-Sequence</c>: the publish fails unless the last message on the subject has this sequence (0: none).</summary>
    public ulong? ExpectedLastSubjectSequence { get; init; }

    /// <summary>The <c>Nats-Expected-Last-Msg-Id</c>: the publish fails unless the stream's last message has this id.</summary>
    public string? ExpectedLastMsgId { get; init; }

    /// <summary>Whether any header is set.</summary>
    internal bool HasHeaders =>
        MsgId is not null || ExpectedStream is not null || ExpectedLastSequence is not null
        || ExpectedLastSubjectSequence is not null || ExpectedLastMsgId is not null;

    /// <summary>Returns <paramref name="callerHeaders"/> plus these headers, in a new object so the caller's is never changed.</summary>
    internal NatsHeaders? ApplyTo(NatsHeaders? callerHeaders)
    {
        if (!HasHeaders)
        {
            return callerHeaders;
        }

        var headers = new NatsHeaders();
        if (callerHeaders is not null)
        {
            foreach (var (name, value) in callerHeaders)
            {
                headers.Add(name, value);
            }
        }

        if (MsgId is not null)
        {
            headers.Set(JetStreamHeaders.MsgId, MsgId);
        }

        if (ExpectedStream is not null)
        {
            headers.Set(JetStreamHeaders.ExpectedStream, ExpectedStream);
        }

        if (ExpectedLastSequence is { } lastSequence)
        {
            headers.Set(JetStreamHeaders.ExpectedLastSequence, lastSequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (ExpectedLastSubjectSequence is { } lastSubjectSequence)
        {
            headers.Set(JetStreamHeaders.ExpectedLastSubjectSequence, lastSubjectSequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (ExpectedLastMsgId is not null)
        {
            headers.Set(JetStreamHeaders.ExpectedLastMsgId, ExpectedLastMsgId);
        }

        return headers;
    }
}

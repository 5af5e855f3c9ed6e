using System.Globalization;

namespace RecordKv.Nats.JetStream;

/// <summary>Reads a direct-get answer: the message itself with <c>Nats-*</c> headers, or a status.</summary>
internal static class DirectGetReply
{
    public static NatsStoredMessage ToStoredMessage(string stream, NatsMsg reply)
    {
        var headers = reply.Headers;
        if (headers?.StatusCode is { } status and not 0)
        {
            if (status == 404)
            {
                throw new NatsJetStreamNotFoundException($"JetStream direct get on '{stream}': {headers.StatusDescription ?? "Message Not Found"}.", 404, JetStreamErrors.NoMessageFound, headers.StatusDescription);
            }

            throw new NatsJetStreamException($"JetStream direct get on '{stream}' answered {status} {headers.StatusDescription}.", status, 0, headers.StatusDescription);
        }

        var subject = headers?.GetLastValue(JetStreamHeaders.Subject);
        var sequenceText = headers?.GetLastValue(JetStreamHeaders.Sequence);
        if (subject is null || !ulong.TryParse(sequenceText, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            throw new NatsJetStreamException($"JetStream direct get on '{stream}' answered without Nats-Subject/Nats-Sequence headers.");
        }

        return new NatsStoredMessage(subject, sequence, JetStreamTime.ParseOrDefault(headers!.GetLastValue(JetStreamHeaders.TimeStamp)), headers, reply.Data);
    }
}

using System.Diagnostics.CodeAnalysis;

namespace RecordKv.Nats.JetStream;

/// <summary>Turns server API errors into typed exceptions.</summary>
internal static class JetStreamErrors
{
    public const int StreamNotFound = 10059;
    public const int ConsumerNotFound = 10014;
    public const int NoMessageFound = 10037;
    public const int StreamWrongLastSequence = 10071;
    public const int StreamWrongLastSequenceConstant = 10070;
    public const int StreamNotMatch = 10060;
    public const int StreamWrongLastMsgId = 10019;

    public static NatsJetStreamException Create(string operation, ApiError error)
    {
        var message = $"JetStream {operation} failed: {error.Description} (code {error.Code}, err_code {error.ErrCode}).";
        return error.ErrCode switch
        {
            StreamNotFound or ConsumerNotFound or NoMessageFound => new NatsJetStreamNotFoundException(message, error.Code, error.ErrCode, error.Description),
            StreamWrongLastSequence or StreamWrongLastSequenceConstant or StreamNotMatch or StreamWrongLastMsgId =>
                new NatsJetStreamWrongLastSequenceException(message, error.Code, error.ErrCode, error.Description),
            _ when error.Code == 404 => new NatsJetStreamNotFoundException(message, error.Code, error.ErrCode, error.Description),
            _ => new NatsJetStreamException(message, error.Code, error.ErrCode, error.Description),
        };
    }

    [DoesNotReturn]
    public static void Throw(string operation, ApiError error) => throw Create(operation, error);

    public static NatsJetStreamException NoResponders(string subject, Exception? inner = null) =>
        new($"No JetStream responders on '{subject}': JetStream is not enabled, no stream captures the subject, or the stream has no leader.", 503, 0, "no responders", inner);
}

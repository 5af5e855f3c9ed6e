namespace RecordKv.Nats.JetStream;

/// <summary>Builds JetStream API subjects (ADR-15) under <c>$JS.API</c>, <c>$JS.&lt;domain&gt;.API</c> or a custom prefix.</summary>
internal sealed class JetStreamApiSubjects
{
    /// <summary>The default API prefix.</summary>
    public const string DefaultPrefix = "$JS.API";

    private readonly string _prefix;

    /// <summary>Creates the subjects for a domain (wins when set), a custom prefix, or the default.</summary>
    public JetStreamApiSubjects(string? apiPrefix, string? domain)
    {
        if (!string.IsNullOrEmpty(domain))
        {
            _prefix = "$JS." + domain + ".API.";
        }
        else
        {
            var prefix = string.IsNullOrEmpty(apiPrefix) ? DefaultPrefix : apiPrefix;
            _prefix = prefix.EndsWith('.') ? prefix : prefix + ".";
        }
    }

    /// <summary>The prefix including its trailing dot.</summary>
    public string Prefix => _prefix;

    public string AccountInfo => _prefix + "INFO";

    public string StreamCreate(string stream) => _prefix + "STREAM.CREATE." + stream;

    public string StreamUpdate(string stream) => _prefix + "STREAM.UPDATE." + stream;

    public string StreamInfo(string stream) => _prefix + "STREAM.INFO." + stream;

    public string StreamDelete(string stream) => _prefix + "STREAM.DELETE." + stream;

    public string StreamPurge(string stream) => _prefix + "STREAM.PURGE." + stream;

    public string StreamNames => _prefix + "STREAM.NAMES";

    public string StreamMsgGet(string stream) => _prefix + "STREAM.MSG.GET." + stream;

    public string DirectGet(string stream) => _prefix + "DIRECT.GET." + stream;

    /// <summary>The 2.9+ create subject carrying the consumer name; the server checks it against the config.</summary>
    public string ConsumerCreate(string stream, string? consumer) =>
        consumer is null ? _prefix + "CONSUMER.CREATE." + stream : _prefix + "CONSUMER.CREATE." + stream + "." + consumer;

    public string ConsumerInfo(string stream, string consumer) => _prefix + "CONSUMER.INFO." + stream + "." + consumer;

    public string ConsumerDelete(string stream, string consumer) => _prefix + "CONSUMER.DELETE." + stream + "." + consumer;

    public string ConsumerNames(string stream) => _prefix + "CONSUMER.NAMES." + stream;

    public string ConsumerList(string stream) => _prefix + "CONSUMER.LIST." + stream;

    public string ConsumerNext(string stream, string consumer) => _prefix + "CONSUMER.MSG.NEXT." + stream + "." + consumer;
}

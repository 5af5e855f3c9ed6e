using System.Text.Json.Serialization;

namespace RecordKv.Nats.JetStream;

/// <summary>How a consumer expects messages to be acknowledged (JSON <c>ack_policy</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConsumerAckPolicy>))]
public enum ConsumerAckPolicy
{
    /// <summary>Wire value <c>none</c>.</summary>
    [JsonStringEnumMemberName("none")]
    None,

    /// <summary>Wire value <c>all</c>.</summary>
    [JsonStringEnumMemberName("all")]
    All,

    /// <summary>Wire value <c>explicit</c>.</summary>
    [JsonStringEnumMemberName("explicit")]
    Explicit,
}

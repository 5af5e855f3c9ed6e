using System.Text.Json.Serialization;

namespace RecordKv.Nats.JetStream;

/// <summary>How fast a consumer replays stored messages (JSON <c>replay_policy</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConsumerReplayPolicy>))]
public enum ConsumerReplayPolicy
{
    /// <summary>Wire value <c>instant</c>.</summary>
    [JsonStringEnumMemberName("instant")]
    Instant,

    /// <summary>Wire value <c>original</c>.</summary>
    [JsonStringEnumMemberName("original")]
    Original,
}

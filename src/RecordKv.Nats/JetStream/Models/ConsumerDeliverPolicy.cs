using System.Text.Json.Serialization;

namespace RecordKv.Nats.JetStream;

/// <summary>Where in the stream a consumer starts (JSON <c>deliver_policy</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConsumerDeliverPolicy>))]
public enum ConsumerDeliverPolicy
{
    /// <summary>Wire value <c>all</c>.</summary>
    [JsonStringEnumMemberName("all")]
    All,

    /// <summary>Wire value <c>last</c>.</summary>
    [JsonStringEnumMemberName("last")]
    Last,

    /// <summary>Wire value <c>new</c>.</summary>
    [JsonStringEnumMemberName("new")]
    New,

    /// <summary>Wire value <c>by_start_sequence</c>.</summary>
    [JsonStringEnumMemberName("by_start_sequence")]
    ByStartSequence,

    /// <summary>Wire value <c>by_start_time</c>.</summary>
    [JsonStringEnumMemberName("by_start_time")]
    ByStartTime,

    /// <summary>Wire value <c>last_per_subject</c>.</summary>
    [JsonStringEnumMemberName("last_per_subject")]
    LastPerSubject,
}

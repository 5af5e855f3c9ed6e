using System.Text.Json.Serialization;

namespace RecordKv.Nats.JetStream;

/// <summary>When a stream removes messages (JSON <c>retention</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StreamRetentionPolicy>))]
public enum StreamRetentionPolicy
{
    /// <summary>Wire value <c>limits</c>.</summary>
    [JsonStringEnumMemberName("limits")]
    Limits,

    /// <summary>Wire value <c>interest</c>.</summary>
    [JsonStringEnumMemberName("interest")]
    Interest,

    /// <summary>Wire value <c>workqueue</c>.</summary>
    [JsonStringEnumMemberName("workqueue")]
    WorkQueue,
}

using System.Text.Json.Serialization;

namespace RecordKv.Nats.JetStream;

/// <summary>What a full stream discards (JSON <c>discard</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StreamDiscardPolicy>))]
public enum StreamDiscardPolicy
{
    /// <summary>Wire value <c>old</c>.</summary>
    [JsonStringEnumMemberName("old")]
    Old,

    /// <summary>Wire value <c>new</c>.</summary>
    [JsonStringEnumMemberName("new")]
    New,
}

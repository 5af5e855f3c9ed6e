using System.Text.Json.Serialization;

namespace RecordKv.Nats.JetStream;

/// <summary>Where a stream or consumer keeps its state (JSON <c>storage</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StreamStorageType>))]
public enum StreamStorageType
{
    /// <summary>Wire value <c>file</c>.</summary>
    [JsonStringEnumMemberName("file")]
    File,

    /// <summary>Wire value <c>memory</c>.</summary>
    [JsonStringEnumMemberName("memory")]
    Memory,
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace RecordKv.Client;

/// <summary>Source-generated JSON for the types the client parses.</summary>
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(StoreConfig))]
internal sealed partial class RecordJsonContext : JsonSerializerContext;

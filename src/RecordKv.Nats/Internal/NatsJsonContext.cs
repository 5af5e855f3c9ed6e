using System.Text.Json.Serialization;

namespace RecordKv.Nats.Internal;

/// <summary>Source-generated JSON for the INFO the server sends: no reflection at run time.</summary>
[JsonSerializable(typeof(NatsServerInfo))]
internal sealed partial class NatsJsonContext : JsonSerializerContext;

using System.Text.Json.Serialization;

namespace RecordKv.Coordination;

/// <summary>Source-generated JSON for the backfill contracts.</summary>
[JsonSerializable(typeof(BackfillJob))]
[JsonSerializable(typeof(BackfillRunState))]
[JsonSerializable(typeof(BackfillProgress))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class BackfillJsonContext : JsonSerializerContext;

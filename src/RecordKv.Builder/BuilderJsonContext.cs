using System.Text.Json.Serialization;

namespace RecordKv.Builder;

[JsonSerializable(typeof(RepoState))]
[JsonSerializable(typeof(BackfillJob))]
internal sealed partial class BuilderJsonContext : JsonSerializerContext;

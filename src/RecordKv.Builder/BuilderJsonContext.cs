using System.Text.Json.Serialization;

namespace RecordKv.Builder;

[JsonSerializable(typeof(RepoState))]
internal sealed partial class BuilderJsonContext : JsonSerializerContext;

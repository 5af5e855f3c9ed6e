using System.Text.Json.Serialization;

namespace RecordKv.Client;

/// <summary>The control bucket's <c>config</c> value (<c>{"partitions":N}</c>).</summary>
internal sealed record StoreConfig([property: JsonPropertyName("partitions")] int? Partitions);

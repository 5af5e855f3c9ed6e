using System.Text.Json;

namespace RecordKv.Client;

/// <summary>A record as the store holds it now, from <see cref="RecordKvClient.GetAsync"/>.</summary>
/// <param name="Id">The record.</param>
/// <param name="Cid">Its CID, or null when the builder wrote none.</param>
/// <param name="Rev">The repository revision that wrote it, or null.</param>
/// <param name="Revision">The record bucket revision.</param>
/// <param name="Data">The record as atproto JSON.</param>
public sealed record StoredRecord(Contracts.RecordId Id, string? Cid, string? Rev, ulong Revision, ReadOnlyMemory<byte> Data)
{
    /// <summary>The record's JSON.</summary>
    public JsonElement Record => JsonSerializer.Deserialize(Data.Span, RecordJsonContext.Default.JsonElement);
}

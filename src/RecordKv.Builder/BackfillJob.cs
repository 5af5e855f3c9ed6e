using System.Text.Json.Serialization;

namespace RecordKv.Builder;

/// <summary>A durable request to resync one repository (the BACKFILL stream's message body).</summary>
/// <param name="Did">The repository's DID.</param>
/// <param name="Pds">Where to fetch it when the DID document does not say (the backfill host).</param>
public sealed record BackfillJob(
    [property: JsonPropertyName("did")] string Did,
    [property: JsonPropertyName("pds")] string? Pds);

using System.Text.Json.Serialization;

namespace RecordKv.Coordination;

/// <summary>A durable request to resync one repository: the body of a message in the BACKFILL stream.</summary>
public sealed record BackfillJob
{
    /// <summary>The repository's DID.</summary>
    [JsonPropertyName("did")]
    public required string Did { get; init; }

    /// <summary>The backfill run that enqueued the job (its progress is counted under this id).</summary>
    [JsonPropertyName("run")]
    public required string Run { get; init; }

    /// <summary>The host the repository was listed on: where to fetch it when the DID document names no PDS.</summary>
    [JsonPropertyName("host")]
    public string? Host { get; init; }

    /// <summary>Whether listRepos reported the account active; an inactive account's status is recorded instead of fetched.</summary>
    [JsonPropertyName("active")]
    public bool Active { get; init; } = true;

    /// <summary>The account status listRepos reported for an inactive account (deactivated, takendown, deleted, ...).</summary>
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    /// <summary>Collections to store (NSIDs, or prefixes ending in <c>*</c>); empty means every collection.</summary>
    [JsonPropertyName("collections")]
    public IReadOnlyList<string> Collections { get; init; } = [];
}
